/* global module */
// Stands in for the thread-stream package in the forwarder's Lambda bundle only (custom.esbuild.alias
// in forwarder/serverless.yml). pino loads thread-stream at import for its transports, which run
// log output through a worker thread; the forwarder logs to stdout, where Lambda reads it, and
// never starts a transport. The real package is 10 KB of the code a cold start parses.
module.exports = class ThreadStream {
  constructor() {
    throw new Error('pino transports are not part of the forwarder bundle: it logs to stdout');
  }
};
