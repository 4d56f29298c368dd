import { ApplicationFailure, condition, currentUpdateInfo, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { asksBriefAnswer } from '../../libs/contracts/brief-answers';
import { violationDetails, type ProcessRuleViolation, type RuleCatalogue } from '../../libs/domain/process';

/**
 * What the case and the star-rating workflows share around their command tables: updates that run
 * one at a time, one update handler per command with its validator, and a refusal by a rule carried
 * to the client as a non-retryable ApplicationFailure naming the rule.
 */

/** Updates run one at a time: an update may await an activity before it changes the state. */
export interface ExclusiveLock {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** An update (or the clock) holds the lock now. */
  readonly busy: boolean;
  /** How many times the lock has been taken in this run (so far as this worker has seen it). */
  readonly acquisitions: number;
}

/**
 * `recheck` says whether a waiter looks again after waking (two waiters woken by the same activation
 * both saw the lock free: only the first may go on). It is asked at every entry, where a workflow
 * that once ran without the re-check keeps its patch() call.
 */
export function exclusiveLock(recheck: () => boolean = () => true): ExclusiveLock {
  let busy = false;
  let acquisitions = 0;
  return {
    get busy() {
      return busy;
    },
    get acquisitions() {
      return acquisitions;
    },
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (recheck()) {
        while (busy) await condition(() => !busy);
      } else {
        await condition(() => !busy);
      }
      busy = true;
      acquisitions++;
      try {
        return await fn();
      } finally {
        busy = false;
      }
    },
  };
}

/** The process's rules: its catalogue and the class of its violations. */
export interface ProcessRules<C extends string> {
  catalogue: RuleCatalogue<C>;
  violation: abstract new (...args: never[]) => ProcessRuleViolation<C>;
}

/** A refused action as Temporal carries it to the client: type = the rule's code, details = what exactly. */
export function ruleFailureOf<C extends string>(rules: ProcessRules<C>): (err: unknown) => unknown {
  return (err) =>
    err instanceof rules.violation
      ? ApplicationFailure.create({ type: err.rule, message: err.message, nonRetryable: true, details: [violationDetails(rules.catalogue, err)] })
      : err;
}

export interface CommandHandlers<S, Inputs, C extends string> {
  names: readonly (keyof Inputs & string)[];
  updates: { [K in keyof Inputs & string]: UpdateDefinition<S, [Inputs[K]], K> };
  rules: ProcessRules<C>;
  lock: ExclusiveLock;
  /**
   * Whether a command may take the lock yet; until then it waits (see rectifyCase's first look). Asked on
   * arrival: a command that finds it true goes to the lock at once, exactly as without it.
   */
  ready?: () => boolean;
  /** Refuses a rule-breaking command before anything is written to the history. */
  validate<K extends keyof Inputs & string>(name: K, input: Inputs[K]): void;
  /**
   * Runs the command under the lock (validating it again there) and answers with the new state.
   * `validatedAsIs`: this Update's validator judged it against the very state it now runs on (see
   * registerCommandHandlers), so a costly check may be left out; the state's own changes since (made by
   * `run` itself before validating) are `run`'s to weigh.
   */
  run<K extends keyof Inputs & string>(name: K, input: Inputs[K], validatedAsIs: boolean): Promise<S>;
  /**
   * The answer to an Update whose second argument asks for the brief form (BriefAnswerRequest), made from
   * `run`'s; without it, or not asked, the Update answers `run`'s answer.
   */
  brief?: (answer: S) => unknown;
}

/** How many of the latest Update ids a run remembers (a second delivery comes within the same task or the next). */
export const REMEMBERED_UPDATE_IDS = 64;

/**
 * Applied once per Update id: the answers of the run's latest Updates by id, so that an Update handed to
 * the workflow a second time is answered with its first delivery's outcome and changes nothing. Temporal
 * keeps one Update id once in a run's history, but a worker stalled past the workflow task timeout has been
 * handed an Update again inside a task that was then discarded (sdk-core, "Trying to send a new WFT for a
 * run which already has one!"); applied twice there, a measure was added twice and its 约谈 raised by the
 * task's local sync before Temporal threw the task away. Bounded: the oldest id is forgotten first.
 */
export class UpdateOnce<S> {
  private readonly answers = new Map<string, Promise<S>>();

  /** The id of the Update being handled was seen before in this run. */
  seen(): boolean {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && this.answers.has(id);
  }

  /** Runs `apply` for a new Update id; for a known one, answers as its first delivery did. */
  run(apply: () => Promise<S>): Promise<S> {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return apply();
    const earlier = this.answers.get(id);
    if (earlier) return earlier;
    const answer = apply();
    this.answers.set(id, answer);
    if (this.answers.size > REMEMBERED_UPDATE_IDS) this.answers.delete(this.answers.keys().next().value as string);
    return answer;
  }
}

/**
 * One update handler per command, each with its validator; refusals become ApplicationFailures. An Update
 * delivered twice is applied once (UpdateOnce); its second delivery passes the validator, which would
 * judge it against the state the first already changed.
 *
 * The state changes only under the lock. So an Update validated while the lock was free, whose handler is
 * the lock's very next holder, runs on the state its validator judged (`validatedAsIs`); one that waited
 * behind another holder, or was never validated here (a replayed history: validators do not run then), is
 * judged again in full under the lock.
 */
export function registerCommandHandlers<S, Inputs, C extends string>(h: CommandHandlers<S, Inputs, C>): void {
  const asFailure = ruleFailureOf(h.rules);
  const once = new UpdateOnce<S>();
  /** The latest Update validated while the lock was free, and how often the lock had been taken then. */
  let validatedWhileFree: { id: string; acquisitions: number } | undefined;
  for (const name of h.names) {
    setHandler(
      h.updates[name] as unknown as UpdateDefinition<unknown, [Inputs[typeof name], unknown]>,
      (command, form) => {
        const locked = () =>
          h.lock.run(async () => {
            const id = currentUpdateInfo()?.id;
            const validatedAsIs = id !== undefined && validatedWhileFree?.id === id && h.lock.acquisitions === validatedWhileFree.acquisitions + 1;
            try {
              return await h.run(name, command, validatedAsIs);
            } catch (err) {
              throw asFailure(err);
            }
          });
        const ready = h.ready;
        const answer = once.run(() => (ready && !ready() ? condition(ready).then(locked) : locked()));
        const brief = h.brief;
        return brief && asksBriefAnswer(form) ? answer.then(brief) : answer;
      },
      {
        validator: (command, _form) => {
          validatedWhileFree = undefined;
          if (once.seen()) return;
          try {
            h.validate(name, command);
          } catch (err) {
            throw asFailure(err);
          }
          const id = currentUpdateInfo()?.id;
          if (id !== undefined && !h.lock.busy) validatedWhileFree = { id, acquisitions: h.lock.acquisitions };
        },
      },
    );
  }
}
