import { signInWithForm } from '@/lib/auth/form-sign-in';

export const POST = signInWithForm;
