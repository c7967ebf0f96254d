// Calls a handler the way the Node.js runtime does: an async handler answers with its promise,
// a callback handler with its callback (after the event loop empties, unless the context says
// not to wait), and a handler that does neither answers null once the event loop is empty.
import type { LambdaContext } from './context.js';

export type Handler = (event: unknown, context: LambdaContext, callback: (error?: unknown, result?: unknown) => void) => unknown;

export type Outcome = { ok: true; payload: unknown } | { ok: false; error: unknown };

/** Resolves when nothing but the runtime's own stdin keeps the process alive; cancel undoes it. */
export type EmptyLoopWatch = (onEmpty: () => void) => () => void;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

export function callHandler(handler: Handler, event: unknown, context: LambdaContext, watchEmptyLoop: EmptyLoopWatch): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    let stopWatching = () => {};
    let answer: Outcome | undefined;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      stopWatching();
      resolve(outcome);
    };
    const waitThenSettle = () => {
      stopWatching();
      stopWatching = watchEmptyLoop(() => settle(answer ?? { ok: true, payload: null }));
    };
    const callback = (error?: unknown, result?: unknown) => {
      if (answer) return;
      answer = error === undefined || error === null ? { ok: true, payload: result } : { ok: false, error };
      if (context.callbackWaitsForEmptyEventLoop) waitThenSettle();
      else settle(answer);
    };
    context.done = callback;
    context.succeed = (result) => settle({ ok: true, payload: result });
    context.fail = (error) => settle({ ok: false, error: error ?? 'handled' });

    let returned: unknown;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      settle({ ok: false, error });
      return;
    }
    if (isPromiseLike(returned)) {
      returned.then(
        (payload) => settle({ ok: true, payload }),
        (error: unknown) => settle({ ok: false, error }),
      );
    } else if (!answer) {
      waitThenSettle();
    }
  });
}
