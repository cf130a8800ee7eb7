// Preload for local emulators: `node --require bin/loopback-only.js server.js`.
// kinesis-mock (kinesis-local) and fauxqs listen on 0.0.0.0 whatever host is configured.
// This rewrites every TCP listen() without a host, or with a wildcard host,
// to 127.0.0.1, so nothing started by bin/services is reachable from outside the machine.
// Unix-socket paths, handles and explicit non-wildcard hosts are left alone.
'use strict';
const net = require('net');

const LOOPBACK = '127.0.0.1';
const WILDCARD = new Set([undefined, null, '', '0.0.0.0', '::', '[::]', '::0']);
const isPort = (v) => typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));
const original = net.Server.prototype.listen;

net.Server.prototype.listen = function listen(...args) {
  const first = args[0];
  if (first && typeof first === 'object' && !Array.isArray(first) && first.path === undefined
      && ('port' in first || !('fd' in first || '_handle' in first || 'handle' in first))) {
    // listen({ port, host, ... }[, cb])
    if (WILDCARD.has(first.host)) args[0] = { ...first, host: LOOPBACK };
  } else if (first === undefined || typeof first === 'function' || isPort(first)) {
    // listen([port][, host][, backlog][, cb])
    if (!isPort(first)) args.unshift(0);
    if (typeof args[1] === 'string' && !isPort(args[1])) {
      if (WILDCARD.has(args[1])) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK); // no host given: insert one before backlog / callback
    }
  }
  return original.apply(this, args);
};
