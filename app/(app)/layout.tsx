import { WriteAccessProvider } from '@/app/components/write-access-client';
import { canWrite } from '@/lib/auth/actor';
import { requireUser } from '@/lib/auth/session';
import { AppNav } from './app-nav-client';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireUser();
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 btn-secondary"
      >
        Skip to content
      </a>
      <AppNav user={{ name: actor.name, email: actor.email, role: actor.role }} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-8 sm:px-6 lg:px-8">
        <WriteAccessProvider canWrite={canWrite(actor)}>{children}</WriteAccessProvider>
      </main>
    </div>
  );
}
