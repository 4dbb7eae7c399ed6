import type { CandidateStage } from '@/lib/recruiting/schemas';

export const STAGE_LABELS: Record<CandidateStage, string> = {
  applied: 'Applied',
  screening: 'Screening',
  interview: 'Interview',
  offer: 'Offer',
  hired: 'Hired',
  rejected: 'Rejected',
};

export const fullName = (c: { first_name: string; last_name: string }) => `${c.first_name} ${c.last_name}`;
