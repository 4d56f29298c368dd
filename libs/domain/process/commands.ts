import type { UserRole } from '../roles';

/**
 * A process's command table: for each update of its workflow, a validator that refuses what breaks a
 * rule (naming it) and an applier that changes the state and says what happened. Pure and
 * deterministic, so the workflow can run it and unit tests can exercise every rule without a server.
 */

/** What an applied command did: the audit action and its payload. */
export type ProcessChange = { action: string; payload: Record<string, unknown> };

export interface ProcessCommandDef<S, I> {
  validate(state: S, input: I, nowMs: number): void;
  apply(state: S, input: I, nowMs: number): ProcessChange;
}

/** Every command of a process, by name (`Inputs` maps each name to its input type). */
export type ProcessCommandTable<S, Inputs> = { [K in keyof Inputs]: ProcessCommandDef<S, Inputs[K]> };

/** Who may run each command; the workflow enforces it, the API checks it first to answer 403. */
export type CommandRoles<Name extends string> = Record<Name, UserRole[]>;

/** How a process refuses a call that is no command at all, in its own rule codes. */
export interface MalformedCommandRefusals {
  unknownCommand(name: string): never;
  noInput(): never;
}

export interface ProcessCommands<S, Inputs> {
  /** Throws the process's rule violation if the command may not run now. */
  validate<K extends keyof Inputs>(state: S, name: K, input: Inputs[K], nowMs: number): void;
  /** Applies a validated command to the state and says what it did. */
  apply<K extends keyof Inputs>(state: S, name: K, input: Inputs[K], nowMs: number): ProcessChange;
}

/** The validate/apply dispatcher over a command table. */
export function processCommands<S, Inputs>(table: ProcessCommandTable<S, Inputs>, refusals: MalformedCommandRefusals): ProcessCommands<S, Inputs> {
  const defOf = <K extends keyof Inputs>(name: K): ProcessCommandDef<S, Inputs[K]> | undefined =>
    Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  return {
    validate(state, name, input, nowMs) {
      const def = defOf(name);
      if (!def) return refusals.unknownCommand(String(name));
      if (!input || typeof input !== 'object') refusals.noInput();
      def.validate(state, input, nowMs);
    },
    apply(state, name, input, nowMs) {
      const def = defOf(name);
      if (!def) return refusals.unknownCommand(String(name));
      return def.apply(state, input, nowMs);
    },
  };
}
