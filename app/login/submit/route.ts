import { signInWithForm } from '@/lib/auth/form-sign-in';
import { otherMethods } from '@/lib/api/method-not-allowed';

export const POST = signInWithForm;

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
