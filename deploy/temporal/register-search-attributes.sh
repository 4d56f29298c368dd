#!/bin/sh
# Makes the Temporal namespace ready for the case workflows: the one-shot "temporal-search-attributes"
# service of docker-compose.yml runs it in the temporalio/admin-tools image once the server is up.
#
#  1. creates the namespace TEMPORAL_NAMESPACE unless it exists (temporalio/server, unlike the dev
#     server, creates none), with retention TEMPORAL_NAMESPACE_RETENTION;
#  2. registers each custom search attribute of SEARCH_ATTRIBUTES ("Name=Type Name=Type ..."; the
#     list in scripts/lib/temporal.js, which test/unit/docker-compose.test.ts compares with it).
#
# Idempotent: an attribute that already exists with the same type counts as done; one that exists with
# another type is an error (the workflows would fail to upsert it), as is any other failure.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must be set (host:port of the frontend)}"
: "${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE must be set}"
: "${TEMPORAL_NAMESPACE_RETENTION:=720h}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES must be set (Name=Type ...)}"

log() { echo "[temporal-search-attributes] $*"; }

ns_cli() {
  temporal "$@" --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE"
}

# Retries a command (quietly) until it succeeds or the attempts run out.
retry() {
  what="$1"
  shift
  attempt=0
  until "$@" >/dev/null 2>&1; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 60 ]; then
      log "gave up waiting for: $what" >&2
      "$@" || true
      exit 1
    fi
    sleep 2
  done
}

retry "the Temporal frontend at $TEMPORAL_ADDRESS" temporal operator cluster health --address "$TEMPORAL_ADDRESS"

if ns_cli operator namespace describe >/dev/null 2>&1; then
  log "namespace $TEMPORAL_NAMESPACE exists"
else
  log "creating namespace $TEMPORAL_NAMESPACE (retention $TEMPORAL_NAMESPACE_RETENTION)"
  ns_cli operator namespace create --retention "$TEMPORAL_NAMESPACE_RETENTION" \
    --description "Rectification cases (软弱涣散基层党组织整顿)"
fi

# A new namespace takes a few seconds to reach every frontend's cache.
retry "namespace $TEMPORAL_NAMESPACE to become usable" ns_cli operator search-attribute list

for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if [ -z "$name" ] || [ -z "$type" ] || [ "$name" = "$pair" ]; then
    log "malformed entry \"$pair\" in SEARCH_ATTRIBUTES (expected Name=Type)" >&2
    exit 1
  fi
  if out=$(ns_cli operator search-attribute create --name "$name" --type "$type" 2>&1); then
    log "registered $name ($type)"
  else
    case "$out" in
      *"different type"*)
        log "$name exists with another type than $type: $out" >&2
        exit 1
        ;;
      *"already exists"* | *"AlreadyExists"*)
        log "$name ($type) already registered"
        ;;
      *)
        log "could not register $name ($type): $out" >&2
        exit 1
        ;;
    esac
  fi
done

# Check the outcome rather than trusting exit codes alone.
listing=$(ns_cli operator search-attribute list)
for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  if ! printf '%s\n' "$listing" | grep -qw -- "$name"; then
    log "$name is missing from the namespace's search attributes after registration" >&2
    exit 1
  fi
done
log "namespace $TEMPORAL_NAMESPACE is ready"
