import { useState } from 'react';
import { Notice } from '@/app/components/notice';
import { ApiError } from '@/lib/client/api-fetch';

/** What the last action on a page came to: a notice when it worked, an error when it did not. */
export function useActionFeedback() {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const clear = () => {
    setNotice(null);
    setError(null);
  };

  /** Runs an action that answers with its success message. */
  async function attempt(action: () => Promise<string>): Promise<void> {
    clear();
    try {
      setNotice(await action());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server. Try again.');
    }
  }

  return { notice, error, setNotice, clear, attempt };
}

export function ActionFeedback({ notice, error }: { notice: string | null; error: string | null }) {
  return (
    <>
      <Notice message={notice} />
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </>
  );
}
