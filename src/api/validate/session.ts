/**
 * SessionPersistence, shared by HTTPRoute and GRPCRoute rules (experimental).
 *
 * Owns: its fields, defaults (type Cookie, cookie lifetimeType Session, path "/") and the CRD's rules tying the
 * type to the cookie/header settings.
 */
import { durationString } from './durations.ts';
import { headerName } from './headers.ts';
import { obj, required, rule, str, withDefault } from './schema.ts';

interface SessionPersistenceLike {
  readonly type?: string;
  readonly absoluteTimeout?: string;
  readonly cookie?: { readonly lifetimeType?: string };
  readonly header?: unknown;
}

export const sessionPersistence = obj<SessionPersistenceLike>(
  {
    type: withDefault(str({ enum: ['Cookie', 'Header'] }), 'Cookie'),
    absoluteTimeout: durationString,
    cookie: obj({
      name: headerName,
      path: withDefault(str({ max: 1024 }), '/'),
      lifetimeType: withDefault(str({ enum: ['Permanent', 'Session'] }), 'Session'),
    }),
    header: obj({ name: required(headerName) }),
  },
  [
    rule(
      'absoluteTimeout must be specified when cookie lifetimeType is Permanent',
      (s) => s.cookie?.lifetimeType !== 'Permanent' || s.absoluteTimeout !== undefined,
      ['absoluteTimeout'],
    ),
    rule('cookie must not be set unless type is Cookie', (s) => !s.cookie || s.type === 'Cookie', ['cookie']),
    rule('cookie must be specified for type Cookie', (s) => s.type !== 'Cookie' || !!s.cookie, ['cookie']),
    rule('header must not be set unless type is Header', (s) => !s.header || s.type === 'Header', ['header']),
    rule('header must be specified for type Header', (s) => s.type !== 'Header' || !!s.header, ['header']),
  ],
);
