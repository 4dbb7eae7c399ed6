import type { RunStatus } from '@/lib/sync/schemas';

// 20 px solid icons after Heroicons (MIT): the path data of each, drawn by one component.
const PATHS = {
  'check-circle': {
    evenOdd: true,
    d: [
      'M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.857-9.809a.75.75 0 0 0-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 1 0-1.06 1.061l2.5 2.5a.75.75 0 0 0 1.137-.089l4-5.5Z',
    ],
  },
  'x-circle': {
    evenOdd: true,
    d: [
      'M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM8.28 7.22a.75.75 0 0 0-1.06 1.06L8.94 10l-1.72 1.72a.75.75 0 1 0 1.06 1.06L10 11.06l1.72 1.72a.75.75 0 1 0 1.06-1.06L11.06 10l1.72-1.72a.75.75 0 0 0-1.06-1.06L10 8.94 8.28 7.22Z',
    ],
  },
  warning: {
    evenOdd: true,
    d: [
      'M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 5Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z',
    ],
  },
  clock: {
    evenOdd: true,
    d: [
      'M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm.75-13a.75.75 0 0 0-1.5 0v5c0 .414.336.75.75.75h4a.75.75 0 0 0 0-1.5h-3.25V5Z',
    ],
  },
  'minus-circle': {
    evenOdd: true,
    d: ['M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM6.75 9.25a.75.75 0 0 0 0 1.5h6.5a.75.75 0 0 0 0-1.5h-6.5Z'],
  },
  info: {
    evenOdd: true,
    d: [
      'M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-7-4a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM9 9a.75.75 0 0 0 0 1.5h.253a.25.25 0 0 1 .244.304l-.459 2.066A1.75 1.75 0 0 0 10.747 15H11a.75.75 0 0 0 0-1.5h-.253a.25.25 0 0 1-.244-.304l.459-2.066A1.75 1.75 0 0 0 9.253 9H9Z',
    ],
  },
  sync: {
    evenOdd: true,
    d: [
      'M15.312 11.424a5.5 5.5 0 0 1-9.201 2.466l-.312-.311h2.433a.75.75 0 0 0 0-1.5H3.989a.75.75 0 0 0-.75.75v4.242a.75.75 0 0 0 1.5 0v-2.43l.31.31a7 7 0 0 0 11.712-3.138.75.75 0 0 0-1.449-.39Zm1.23-3.723a.75.75 0 0 0 .219-.53V2.929a.75.75 0 0 0-1.5 0V5.36l-.31-.31A7 7 0 0 0 3.239 8.188a.75.75 0 1 0 1.448.389A5.5 5.5 0 0 1 13.89 6.11l.311.31h-2.432a.75.75 0 0 0 0 1.5h4.243a.75.75 0 0 0 .53-.219Z',
    ],
  },
  sliders: {
    evenOdd: false,
    d: [
      'M10 3.75a2 2 0 1 0-4 0 2 2 0 0 0 4 0ZM17.25 4.5a.75.75 0 0 0 0-1.5h-5.5a.75.75 0 0 0 0 1.5h5.5ZM5 3.75a.75.75 0 0 1-.75.75h-1.5a.75.75 0 0 1 0-1.5h1.5a.75.75 0 0 1 .75.75ZM4.25 17a.75.75 0 0 0 0-1.5h-1.5a.75.75 0 0 0 0 1.5h1.5ZM17.25 17a.75.75 0 0 0 0-1.5h-5.5a.75.75 0 0 0 0 1.5h5.5ZM9 10a.75.75 0 0 1-.75.75h-5.5a.75.75 0 0 1 0-1.5h5.5A.75.75 0 0 1 9 10ZM17.25 10.75a.75.75 0 0 0 0-1.5h-1.5a.75.75 0 0 0 0 1.5h1.5ZM14 10a2 2 0 1 0-4 0 2 2 0 0 0 4 0ZM10 16.25a2 2 0 1 0-4 0 2 2 0 0 0 4 0Z',
    ],
  },
  'external-link': {
    evenOdd: true,
    d: [
      'M4.25 5.5a.75.75 0 0 0-.75.75v8.5c0 .414.336.75.75.75h8.5a.75.75 0 0 0 .75-.75v-4a.75.75 0 0 1 1.5 0v4A2.25 2.25 0 0 1 12.75 17h-8.5A2.25 2.25 0 0 1 2 14.75v-8.5A2.25 2.25 0 0 1 4.25 4h5a.75.75 0 0 1 0 1.5h-5Z',
      'M6.194 12.753a.75.75 0 0 0 1.06.053L16.5 4.44v2.81a.75.75 0 0 0 1.5 0v-4.5a.75.75 0 0 0-.75-.75h-4.5a.75.75 0 0 0 0 1.5h2.553l-9.056 8.194a.75.75 0 0 0-.053 1.06Z',
    ],
  },
} as const;

export type IconName = keyof typeof PATHS;

/** A decorative icon: hidden from screen readers, sized and coloured by `className`. */
export function Icon({ name, className = 'h-5 w-5' }: { name: IconName; className?: string }) {
  const { evenOdd, d } = PATHS[name];
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className={`shrink-0 ${className}`}>
      {d.map((path) => (
        <path
          key={path}
          d={path}
          fillRule={evenOdd ? 'evenodd' : undefined}
          clipRule={evenOdd ? 'evenodd' : undefined}
        />
      ))}
    </svg>
  );
}

export function Spinner({ className = 'h-5 w-5' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" className={`shrink-0 animate-spin ${className}`}>
      <circle cx="10" cy="10" r="7.25" stroke="currentColor" strokeOpacity="0.25" strokeWidth="2.5" />
      <path d="M17.25 10A7.25 7.25 0 0 0 10 2.75" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}

type Status = RunStatus['status'];

const STATUS_COLOR: Record<Status, string> = {
  pending: 'text-slate-400',
  running: 'text-brand-600',
  completed: 'text-emerald-600',
  partially_failed: 'text-amber-500',
  failed: 'text-red-600',
  cancelled: 'text-slate-400',
};

const STATUS_ICON: Record<Exclude<Status, 'running'>, IconName> = {
  pending: 'clock',
  completed: 'check-circle',
  partially_failed: 'warning',
  failed: 'x-circle',
  cancelled: 'minus-circle',
};

/** The icon and colour of a run's or a source's state; a spinner while it runs. */
export function StatusIcon({ status, className = 'h-5 w-5' }: { status: Status; className?: string }) {
  const cls = `${className} ${STATUS_COLOR[status]}`;
  return status === 'running' ? <Spinner className={cls} /> : <Icon name={STATUS_ICON[status]} className={cls} />;
}
