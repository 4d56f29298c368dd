import { execFileSync } from 'node:child_process';

/** A loopback port nobody listens on (asked of the OS in a child process, so it can be synchronous). */
export function freePortSync(): number {
  const out = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ]);
  return Number(String(out).trim());
}
