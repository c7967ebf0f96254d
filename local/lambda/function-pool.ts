// The execution environments of one function: an idle one is reused (warm start), a new one
// starts when all are busy, up to a cap; past the cap invocations wait in line.
import { ExecutionEnvironment, type EnvironmentOptions } from './environment.js';
import type { FunctionSpec } from '../model.js';
import { RuntimeClosedError } from './errors.js';

export class FunctionPool {
  private readonly environments: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<{ resolve(environment: ExecutionEnvironment): void; reject(error: Error): void }> = [];
  private closed = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: EnvironmentOptions,
    private readonly maxEnvironments: number,
  ) {}

  acquire(): Promise<ExecutionEnvironment> {
    if (this.closed) return Promise.reject(new RuntimeClosedError());
    const idle = this.environments.filter((environment) => !this.busy.has(environment));
    const chosen = idle.find((environment) => environment.warm) ?? idle[0];
    if (chosen) return Promise.resolve(this.take(chosen));
    if (this.environments.length < this.maxEnvironments) {
      const environment = new ExecutionEnvironment(this.spec, this.options);
      this.environments.push(environment);
      return Promise.resolve(this.take(environment));
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  release(environment: ExecutionEnvironment): void {
    const next = this.waiting.shift();
    if (next) next.resolve(environment);
    else this.busy.delete(environment);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new RuntimeClosedError());
    await Promise.all(this.environments.map((environment) => environment.shutdown()));
  }

  private take(environment: ExecutionEnvironment): ExecutionEnvironment {
    this.busy.add(environment);
    return environment;
  }
}
