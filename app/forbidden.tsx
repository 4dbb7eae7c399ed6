import Link from 'next/link';

export default function Forbidden() {
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center px-6 text-center">
      <p className="text-sm font-semibold text-brand-600">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You don’t have access to this page</h1>
      <p className="mt-2 text-slate-600">This area is for admins. Ask an admin if you need access.</p>
      <Link href="/recruitment/jobs" className="btn-primary mt-6">
        Back to jobs
      </Link>
    </div>
  );
}
