import { z } from 'zod';
import { createdTokenSchema, publicTokenSchema } from '@/lib/tokens/answer-schemas';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { meSchema, publicUserSchema, updatedUserSchema } from '@/lib/users/answer-schemas';
import { createUserSchema, updateUserSchema } from '@/lib/users/schemas';
import type { OperationSpec, PathSpecs } from './operation';

const tags: OperationSpec['tags'] = ['Users and tokens'];
const userParams = z.object({ id: z.uuid() });
const tokenList = z.object({ data: z.array(publicTokenSchema) }).meta({ id: 'ApiTokenList' });

export const usersPaths: PathSpecs = {
  '/api/v1/me': {
    get: {
      access: 'user',
      tags,
      operationId: 'getMe',
      summary: 'Who am I',
      description: 'The user the session or token acts as; a quick check that a token works.',
      answers: { 200: { description: 'You.', schema: meSchema } },
    },
  },
  '/api/v1/tokens': {
    get: {
      access: 'user',
      tags,
      operationId: 'listTokens',
      summary: 'Your API tokens',
      answers: { 200: { description: 'Your tokens (never the tokens themselves).', schema: tokenList } },
    },
    post: {
      access: 'user',
      tags,
      operationId: 'createToken',
      summary: 'Create an API token',
      description:
        'It acts as you, with your role. The token is in the answer this once. Created signed in (Settings → API tokens) or with `npm run cli`.',
      sessionOnly: true,
      viewerMay: true,
      body: createTokenSchema,
      bodyExamples: {
        ci: { summary: 'For a script', value: { name: 'nightly sync script', scopes: ['jobs:read', 'syncs:write'] } },
      },
      answers: { 201: { description: 'Created.', schema: createdTokenSchema } },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      access: 'user',
      tags,
      operationId: 'revokeToken',
      viewerMay: true,
      summary: 'Revoke one of your API tokens',
      description:
        'An API token may revoke only itself (so whoever finds a leaked token can end it); signed in, any of yours.',
      params: z.object({ id: z.uuid() }),
      answers: { 200: { description: 'Revoked.', schema: publicTokenSchema } },
      errors: ['token_not_found', 'forbidden'],
    },
  },
  '/api/v1/users': {
    get: {
      access: 'admin',
      tags,
      operationId: 'listUsers',
      summary: 'List users',
      answers: {
        200: {
          description: 'Every user.',
          schema: z.object({ data: z.array(publicUserSchema) }).meta({ id: 'UserList' }),
        },
      },
    },
    post: {
      access: 'admin',
      tags,
      operationId: 'createUser',
      summary: 'Add a user',
      body: createUserSchema,
      bodyExamples: {
        recruiter: {
          summary: 'A recruiter',
          value: {
            email: 'sam@example.com',
            name: 'Sam Recruiter',
            role: 'recruiter',
            password: 'a-long-first-password',
          },
        },
      },
      answers: { 201: { description: 'Created.', schema: publicUserSchema } },
      errors: ['email_taken'],
    },
  },
  '/api/v1/users/{id}': {
    patch: {
      access: 'admin',
      tags,
      operationId: 'updateUser',
      summary: 'Change a user (role, name, password, deactivate)',
      description:
        'Deactivating a user ends their sessions and stops their tokens at once; a new password revokes their tokens.',
      params: userParams,
      body: updateUserSchema,
      bodyExamples: { rename: { summary: 'Rename', value: { name: 'Sam R.' } } },
      answers: { 200: { description: 'The user now.', schema: updatedUserSchema } },
      errors: ['user_not_found', 'invalid_state'],
    },
  },
  '/api/v1/users/{id}/tokens': {
    get: {
      access: 'admin',
      tags,
      operationId: 'listUserTokens',
      summary: "A user's API tokens",
      params: userParams,
      answers: { 200: { description: 'Their tokens.', schema: tokenList } },
      errors: ['user_not_found'],
    },
  },
  '/api/v1/users/{id}/tokens/{tokenId}': {
    delete: {
      access: 'admin',
      tags,
      operationId: 'revokeUserToken',
      summary: "Revoke a user's API token",
      description: 'An API token may revoke only itself, so this is done signed in.',
      sessionOnly: true,
      params: z.object({ id: z.uuid(), tokenId: z.uuid() }),
      answers: { 200: { description: 'Revoked.', schema: publicTokenSchema } },
      errors: ['user_not_found', 'token_not_found'],
    },
  },
};
