import { BlockList, isIP } from "node:net";

/**
 * The request header the server entry (server.mjs) sets from the socket's peer address, after
 * deleting any copy the client sent. `next start` cannot be used instead: Next.js fills in
 * X-Forwarded-For from the socket only when the request has none, and keeps a client-sent one
 * verbatim, so a route handler cannot tell the two apart.
 */
export const PEER_ADDRESS_HEADER = "x-pnakotic-peer-address";
/** Set on globalThis by server.mjs; without it the header above could come from the client. */
const PEER_ADDRESS_MARKER = "__pnakoticPeerAddressHeader";

let warnedNoServerEntry = false;

/** Strips the IPv4-mapped IPv6 prefix (a dual-stack listener reports "::ffff:10.0.0.1"). */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed.toLowerCase();
}

const listsByEntries = new WeakMap<readonly string[], BlockList>();

/** TRUSTED_PROXIES as a lookup list (built once per configuration); null when none is configured. */
export function trustedProxyList(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  const cached = listsByEntries.get(entries);
  if (cached) return cached;
  const list = new BlockList();
  listsByEntries.set(entries, list);
  for (const entry of entries) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(normalizeAddress(address), type);
    else list.addSubnet(normalizeAddress(address), Number(prefix), type);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The socket peer's address as the server entry recorded it; null under a bare `next start`. */
export function peerAddress(headers: Headers): string | null {
  const value = (globalThis as Record<string, unknown>)[PEER_ADDRESS_MARKER] === true ? headers.get(PEER_ADDRESS_HEADER) : null;
  if (value) return normalizeAddress(value);
  if (!warnedNoServerEntry) {
    warnedNoServerEntry = true;
    console.warn("pnakotic: started without server.mjs; client addresses are unknown, so sign-in throttling per address is shared by all clients");
  }
  return null;
}

/** Whether the request came straight from a configured trusted proxy (so its X-Forwarded-* count). */
export function fromTrustedProxy(headers: Headers, trusted: BlockList | null): boolean {
  const peer = peerAddress(headers);
  return trusted !== null && peer !== null && isTrusted(trusted, peer);
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy; then the rightmost
 * X-Forwarded-For entry that is not a trusted proxy (entries left of it were written by whoever
 * the first untrusted hop was, so they prove nothing).
 */
export function clientAddress(headers: Headers, trusted: BlockList | null): string {
  const peer = peerAddress(headers) ?? "unknown";
  if (!trusted || !fromTrustedProxy(headers, trusted)) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => normalizeAddress(entry))
    .filter((entry) => entry.length > 0);
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const hop = chain[index]!;
    if (!isTrusted(trusted, hop)) return hop.slice(0, 100);
  }
  return chain[0] ?? peer;
}

/**
 * This server's origin as the browser sees it: scheme and host of the request, taken from
 * X-Forwarded-Proto / X-Forwarded-Host only when the request came from a trusted proxy. Without
 * one the scheme is http (server.mjs speaks plain HTTP; TLS ends at a proxy, which must then be
 * listed in TRUSTED_PROXIES).
 */
export function serverOrigin(headers: Headers, trusted: BlockList | null): string | null {
  const lastValue = (name: string) => headers.get(name)?.split(",").at(-1)?.trim() || null;
  const viaProxy = fromTrustedProxy(headers, trusted);
  const scheme = (viaProxy ? lastValue("x-forwarded-proto") : null) ?? "http";
  const host = (viaProxy ? lastValue("x-forwarded-host") : null) ?? headers.get("host");
  if (!host || !/^https?$/.test(scheme)) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}
