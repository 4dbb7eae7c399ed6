import { redirect } from 'next/navigation';

export default function RecruitmentPage() {
  redirect('/recruitment/jobs');
}
