// Removes the compiled server code (dist/apps, dist/libs, …) before TypeScript compiles it again, keeping
// the web build (dist/web) and the build stamps. tsc never deletes the output of a source file that moved
// or went away: a stale dist/libs/domain/star-rating.js (the module became the folder star-rating/) was
// loaded in place of star-rating/index.js, and the API crashed at start-up on a checkout built before the move.
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist');

function cleanCompiledServer() {
  if (!fs.existsSync(DIST)) return;
  for (const entry of fs.readdirSync(DIST, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'web') fs.rmSync(path.join(DIST, entry.name), { recursive: true, force: true });
  }
}

module.exports = { cleanCompiledServer };
if (require.main === module) cleanCompiledServer();
