/**
 * Child-process entry of the indexer's process pool (process-pool.ts): loads the processor
 * (the bundle named by IONSIFT_INDEX_CHILD_BUNDLE through child-code.ts, else the module named by
 * IONSIFT_INDEX_CHILD_PROCESSOR), says it is ready, then answers each task in
 * arrival order (the pool may send the next one while this one runs) with the result and this
 * process's CPU time and peak RSS so far. Messages use the V8 serializer ("advanced"
 * serialization), so typed arrays cross as arrays, not JSON.
 */
import { readFileSync } from 'node:fs';
import { loadChildBundle, type CodeSource } from './child-code.js';
import type { ChildReply, ChildUsage } from './process-pool.js';
import type { ProcessTask, WorkTask } from './types.js';
import { loadProcessor, work } from './work.js';

const send = process.send?.bind(process);
if (!send) throw new Error('src/indexer/child: started without an IPC channel (the indexer forks it)');

// The parent decides what an interrupt does: Ctrl-C reaches the whole process group, and a child
// killed by it would look like a crash (a failures row) instead of a cancelled task.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// The parent is gone (exited, or killed without closing the pool): nothing more to do.
process.on('disconnect', () => process.exit(0));

/** CPU seconds of this thread (utime + stime of /proc/thread-self/stat, in USER_HZ = 100); 0 where there is no /proc. */
function threadCpuS(): number {
  try {
    const st = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

function usage(): ChildUsage {
  const c = process.cpuUsage();
  return { cpuS: (c.user + c.system) / 1e6, mainCpuS: threadCpuS(), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function reply(m: ChildReply): void {
  try {
    send!(m);
  } catch (err) {
    // A result the serializer refuses is a bug in the processor's output: report it, don't hang.
    if ('id' in m) send!({ id: m.id, ok: false, message: `result could not be sent from the worker process: ${err instanceof Error ? err.message : String(err)}`, usage: usage() });
    else throw err;
  }
}

let processTask: ProcessTask | undefined;
let doWork = work;
let source: CodeSource = 'modules';
try {
  const bundle = process.env.IONSIFT_INDEX_CHILD_BUNDLE;
  if (bundle) {
    ({ processTask, work: doWork } = loadChildBundle(bundle));
    source = 'bundle';
  } else processTask = await loadProcessor(process.env.IONSIFT_INDEX_CHILD_PROCESSOR ?? '');
} catch (err) {
  // Sent before exiting (the send is asynchronous), so the pool can say why the worker died.
  send({ loadError: err instanceof Error ? err.message : String(err) } satisfies ChildReply, () => process.exit(1));
  await new Promise(() => undefined);
}
const run = processTask as ProcessTask;

// One task at a time, in arrival order.
let chain: Promise<void> = Promise.resolve();
process.on('message', (m: { id: number; task: WorkTask }) => {
  chain = chain.then(async () => {
    try {
      const result = await doWork(run, m.task);
      reply({ id: m.id, ok: true, result, usage: usage() });
    } catch (err) {
      reply({ id: m.id, ok: false, message: err instanceof Error ? err.message : String(err), usage: usage() });
    }
  });
});
reply({ ready: true, mainCpuS: threadCpuS(), source });
