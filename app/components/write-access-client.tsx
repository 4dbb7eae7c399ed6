'use client';

import { createContext, useContext } from 'react';

// Whether the signed-in user may change anything (every role but viewer, lib/auth/actor.ts canWrite),
// set once by the app layout. Without a provider nothing writes: a control forgotten outside it
// stays hidden rather than offered to a viewer.
const WriteAccess = createContext(false);

export function WriteAccessProvider({ canWrite, children }: { canWrite: boolean; children: React.ReactNode }) {
  return <WriteAccess value={canWrite}>{children}</WriteAccess>;
}

export function useCanWrite(): boolean {
  return useContext(WriteAccess);
}

/** Its children (the controls that would change something) only for users who may write: absent for a viewer. */
export function Writes({ children }: { children: React.ReactNode }) {
  return useCanWrite() ? children : null;
}
