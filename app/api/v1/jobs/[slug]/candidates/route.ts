import { z } from 'zod';
import { json, route } from '@/lib/api/route';
import { candidatesPostBodySchema, listCandidatesQuerySchema, parseCandidatesPost } from '@/lib/recruiting/schemas';
import { createCandidate, createCandidates, listCandidates } from '@/lib/recruiting/service';
import { otherMethods } from '@/lib/api/method-not-allowed';

const params = z.object({ slug: z.string() });

export const GET = route(
  { access: 'user', scope: 'candidates:read', params, query: listCandidatesQuerySchema },
  async ({ db, actor, params, query }) => listCandidates(db, actor, params.slug, query),
);

export const POST = route(
  { access: 'user', scope: 'candidates:write', params, body: candidatesPostBodySchema },
  async ({ db, actor, params, body }) => {
    const post = parseCandidatesPost(body);
    return post.kind === 'one'
      ? json(await createCandidate(db, actor, params.slug, post.input), 201)
      : json(await createCandidates(db, actor, params.slug, post.items), 201);
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
