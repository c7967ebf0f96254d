// Imported first by every entry point (npm start, npm run …): stops at once, with the fix, when
// the script was started with an older Node than the one the project runs on. Through npm the
// Node 24 that `npm ci` put in node_modules/.bin is used; `npx tsx …` or a bare `node` may not.
const required = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  process.stderr.write(
    `This project runs on Node.js ${required} (found ${process.version} at ${process.execPath}).\n` +
      `Run it through npm (npm start, npm test, npm run <script>): npm ci installs Node.js ${required} into node_modules/.bin.\n` +
      `Outside npm, put it first on PATH: PATH="$PWD/node_modules/.bin:$PATH".\n`,
  );
  process.exit(1);
}
export {};
