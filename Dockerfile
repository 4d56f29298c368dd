# One image for the rectification engine's processes; only the command differs:
#   API (default)   node dist/apps/api/src/main.js
#   worker          node --max-old-space-size=$WORKER_MEMORY_MB dist/apps/worker/src/main.js
#                   (its heap limit is its memory budget; see apps/worker/src/memory.ts)
#   migrations      node dist/libs/persistence/migrate.js   (needs DATABASE_URL)
# docker-compose.yml builds it and sets the command and environment of each.
#
# Build arguments:
#   NODE_IMAGE            base image (Node 24, the current LTS, on Debian bookworm, minor version pinned;
#                         npm run test:node-lts runs the tests on the same major line)
#   NPM_CONFIG_REGISTRY   npm registry or mirror to install from

ARG NODE_IMAGE=node:24.20-bookworm-slim

# ---- build: all dependencies, compile TypeScript, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
ARG NPM_CONFIG_REGISTRY=https://registry.npmjs.org/
# Install scripts stay off, as package.json's allowScripts denies them all; nothing needs one.
ENV NPM_CONFIG_REGISTRY=${NPM_CONFIG_REGISTRY} \
    NPM_CONFIG_IGNORE_SCRIPTS=true \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

COPY package.json package-lock.json ./
COPY patches ./patches
# Install scripts are off, so the postinstall that applies patches/ (patch-package) is run by hand.
RUN npm ci && npx patch-package --error-on-fail

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
RUN npx tsc -p tsconfig.build.json \
    && npx vite build --config apps/web/vite.config.ts \
    && test -f dist/web/index.html \
    && test -f dist/apps/api/src/main.js \
    && test -f dist/apps/worker/src/main.js \
    && test -f dist/libs/persistence/migrate.js \
    && test -f dist/libs/health/healthcheck.js \
    && npm prune --omit=dev \
    && npm cache clean --force

# ---- runtime: compiled code and production dependencies, run as the unprivileged "node" user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by "node": the processes cannot alter their own code.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# API or worker, whichever the container runs (libs/health/healthcheck.ts reads its command): the API's
# /api/health (200 while PostgreSQL and Temporal answer), or the worker polling its task queues as the
# Temporal server reports. docker-compose.yml runs the same check.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["node", "dist/libs/health/healthcheck.js"]
CMD ["node", "dist/apps/api/src/main.js"]
