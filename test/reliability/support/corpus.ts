import { TASK_NAME_MAX } from '../../../src/limits';

/** One hostile or malformed request. Every one of them must get a 4xx page. */
export interface BadRequest {
  label: string;
  method: string;
  path: string;
  /** Form fields as raw urlencoded text (exactly as sent), or raw bytes. */
  body?: string | Buffer;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Declared Content-Length when it must lie. */
  contentLength?: number;
  /** Send without the user's session cookie. */
  anonymous?: boolean;
  /** Text that must NOT appear raw in the answer (an XSS probe). */
  mustEscape?: string;
  /** The page shows the input back to the user (escaped). */
  echoes?: boolean;
}

export interface CorpusContext {
  token: string;
  ownId: number;
  otherId: number;
}

const XSS = '<script>alert("xss")</script>';
const enc = encodeURIComponent;

export function badInputCorpus({ token, ownId, otherId }: CorpusContext): BadRequest[] {
  const t = `_csrf=${enc(token)}`;
  const form = (
    label: string,
    path: string,
    body: string | Buffer,
    extra: Partial<BadRequest> = {},
  ): BadRequest => ({
    label,
    method: 'POST',
    path,
    body,
    ...extra,
  });
  const ids = [
    '-1',
    '0',
    '1e309',
    '1%20OR%201%3D1',
    '0x10',
    '99999999999',
    '1.5',
    '%00',
    `${otherId}`,
    '%20',
  ];
  const actions = ['complete', 'reopen', 'edit', 'delete', 'undo-delete'];
  const idProbes = ids.map((id, i) =>
    form(
      `id ${decodeURIComponent(id)} on /tasks/:id/${actions[i % actions.length]}`,
      `/tasks/${id}/${actions[i % actions.length]}`,
      `${t}&name=x`,
    ),
  );
  const otherTask = actions.map((action) =>
    form(`another user's task: ${action}`, `/tasks/${otherId}/${action}`, `${t}&name=mine+now`),
  );

  return [
    // Add a task: sizes, shapes, types and encodings.
    form('oversized body (20 kB)', '/', `${t}&task=${'a'.repeat(20_000)}`),
    form(
      'too many parameters (60)',
      '/',
      `${t}&${Array.from({ length: 60 }, (_, i) => `p${i}=1`).join('&')}`,
    ),
    form('task[]=a (array syntax)', '/', `${t}&task[]=a`),
    form('task=a&task=b (repeated key)', '/', `${t}&task=a&task=b`),
    form('task[x]=1 (object syntax)', '/', `${t}&task[x]=1`),
    form('__proto__[task]=x', '/', `${t}&__proto__[task]=x`),
    form('__proto__=1 only', '/', `${t}&__proto__=1`),
    form('constructor[prototype][task]=x', '/', `${t}&constructor[prototype][task]=x`),
    form('NUL byte in task', '/', `${t}&task=%00abc`),
    form('control characters in task', '/', `${t}&task=a%0D%0Ab%1B`),
    form('empty task', '/', `${t}&task=`),
    form('whitespace-only task', '/', `${t}&task=%20%20%09%20`),
    form('missing task field', '/', t),
    form('task one over the limit, with XSS', '/', `${t}&task=${enc(XSS + 'x'.repeat(TASK_NAME_MAX))}`, {
      mustEscape: XSS,
      echoes: true,
    }),
    form('no CSRF token', '/', 'task=hello'),
    form('CSRF token as an array', '/', `_csrf=${enc(token)}&_csrf=x&task=hello`),
    form('wrong CSRF token', '/', '_csrf=not-the-token&task=hello'),
    form('JSON body with a valid CSRF header', '/', JSON.stringify({ task: 'hello' }), {
      contentType: 'application/json',
      headers: { 'x-csrf-token': token },
    }),
    form('JSON body, no token', '/', JSON.stringify({ task: 'hello', _csrf: token }), {
      contentType: 'application/json',
    }),
    form('text/plain body', '/', `${t}&task=hello`, { contentType: 'text/plain' }),
    form('no Content-Type', '/', `${t}&task=hello`, { contentType: null }),
    form(
      'multipart/form-data',
      '/',
      `--b\r\nContent-Disposition: form-data; name="task"\r\n\r\nhello\r\n--b--\r\n`,
      {
        contentType: 'multipart/form-data; boundary=b',
      },
    ),
    form('charset=utf-16', '/', `${t}&task=hello`, {
      contentType: 'application/x-www-form-urlencoded; charset=utf-16',
    }),
    form('Content-Encoding: bogus', '/', `${t}&task=hello`, { headers: { 'content-encoding': 'bogus' } }),
    form('garbage session cookie', '/', `${t}&task=hello`, {
      anonymous: true,
      headers: { cookie: 'gid.sid=s%3A%00garbage.sig' },
    }),
    // Register.
    form(
      'register: very long email (10 000 chars)',
      '/register',
      `${t}&email=${'a'.repeat(10_000)}%40example.com&password=long+enough+pw&verify=long+enough+pw`,
    ),
    form(
      'register: email as an array',
      '/register',
      `${t}&email=a%40b.co&email=c%40d.co&password=long+enough+pw&verify=long+enough+pw`,
    ),
    form(
      'register: password as an array',
      '/register',
      `${t}&email=arr%40example.com&password=long+enough+pw&password=x&verify=long+enough+pw`,
    ),
    form('register: no fields', '/register', t),
    form(
      'register: XSS in email',
      '/register',
      `${t}&email=${enc(`"><script>alert(1)</script>@x.co`)}&password=long+enough+pw&verify=long+enough+pw`,
      {
        mustEscape: '<script>alert(1)</script>',
        echoes: true,
      },
    ),
    form(
      'register: NUL in email',
      '/register',
      `${t}&email=nul%00%40example.com&password=long+enough+pw&verify=long+enough+pw`,
    ),
    form(
      'register: invalid UTF-8 bytes in email',
      '/register',
      Buffer.concat([
        Buffer.from(`${t}&email=`),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('%40example.com&password=long+enough+pw&verify=long+enough+pw'),
      ]),
    ),
    form(
      'register: password over 1,024 characters',
      '/register',
      `${t}&email=long%40example.com&password=${'p'.repeat(1025)}&verify=${'p'.repeat(1025)}`,
    ),
    form(
      'register: passwords differ',
      '/register',
      `${t}&email=differ%40example.com&password=long+enough+pw&verify=other+enough+pw`,
    ),
    form(
      'register: SQL in email',
      '/register',
      `${t}&email=${enc("x'); DROP TABLE users;--@x.co")}&password=long+enough+pw&verify=long+enough+pw`,
    ),
    form(
      'register: JSON body',
      '/register',
      JSON.stringify({ email: 'json@example.com', password: 'long enough pw' }),
      {
        contentType: 'application/json',
        headers: { 'x-csrf-token': token },
      },
    ),
    form(
      'register: no CSRF token',
      '/register',
      'email=nocsrf%40example.com&password=long+enough+pw&verify=long+enough+pw',
    ),
    // Log in.
    form('login: SQL injection in email', '/login', `${t}&email=${enc("' OR '1'='1' --")}&password=x`),
    form(
      'login: SQL injection in password',
      '/login',
      `${t}&email=solo%40example.com&password=${enc("' OR 1=1 --")}`,
    ),
    form('login: email as an array', '/login', `${t}&email=a%40b.co&email=b%40c.co&password=x`),
    form('login: missing password', '/login', `${t}&email=a%40b.co`),
    form('login: password as an object', '/login', `${t}&email=a%40b.co&password[x]=1`),
    form('login: very long email', '/login', `${t}&email=${'e'.repeat(12_000)}&password=x`),
    form('login: __proto__[email]', '/login', `${t}&__proto__[email]=a%40b.co&password=x`),
    form('login: XSS in email', '/login', `${t}&email=${enc(XSS)}&password=x`, {
      mustEscape: XSS,
      echoes: true,
    }),
    form('login: no CSRF token', '/login', 'email=a%40b.co&password=x'),
    // Log out and the bulk actions.
    form('logout: no CSRF token', '/logout', ''),
    form('logout: CSRF token as an array', '/logout', `${t}&_csrf=${enc(token)}`),
    form('complete-all: no CSRF token', '/tasks/complete-all', ''),
    form('clear-completed: wrong CSRF token', '/tasks/clear-completed', '_csrf=x'),
    form('complete-all: JSON, no token', '/tasks/complete-all', '{}', { contentType: 'application/json' }),
    // The legacy complete route and its task-id field.
    form('delete-task: task-id=-1', '/delete-task', `${t}&task-id=-1`),
    form('delete-task: task-id=1 OR 1=1', '/delete-task', `${t}&task-id=${enc('1 OR 1=1')}`),
    form('delete-task: task-id[]=1', '/delete-task', `${t}&task-id[]=${ownId}`),
    form("delete-task: another user's task", '/delete-task', `${t}&task-id=${otherId}`),
    form('delete-task: missing task-id', '/delete-task', t),
    // Ids in the URL, and other people's tasks.
    ...idProbes,
    ...otherTask,
    form('malformed percent-encoding in the path', '/tasks/%E0%A4%A/complete', t),
    form('undo-delete of a task that was never deleted', `/tasks/${ownId}/undo-delete`, t),
    form('edit: name[]=x', `/tasks/${ownId}/edit`, `${t}&name[]=x`),
    form('edit: NUL in name', `/tasks/${ownId}/edit`, `${t}&name=%00`),
    form('edit: name over the limit', `/tasks/${ownId}/edit`, `${t}&name=${'n'.repeat(TASK_NAME_MAX + 1)}`),
    form('edit: missing name', `/tasks/${ownId}/edit`, t),
    // Methods and paths that do not exist.
    { label: 'GET on a POST-only route', method: 'GET', path: `/tasks/${ownId}/complete` },
    { label: 'PUT /', method: 'PUT', path: '/', body: `${t}&task=x` },
    { label: 'DELETE /tasks/:id', method: 'DELETE', path: `/tasks/${ownId}` },
    { label: 'TRACE /', method: 'TRACE', path: '/' },
    {
      label: 'unknown page with XSS in the query',
      method: 'GET',
      path: `/nope?q=${enc(XSS)}`,
      mustEscape: XSS,
    },
    { label: 'path traversal', method: 'GET', path: '/css/..%2F..%2Fpackage.json' },
    { label: 'malformed percent-encoding in a static path', method: 'GET', path: '/css/%E0%A4%A.css' },
  ];
}

/**
 * Hostile strings that are valid task names: they must be stored literally and shown escaped.
 * `sent` is the urlencoded value exactly as it goes on the wire.
 */
export const hostileButValidNames: { sent: string; stored: string }[] = [
  XSS,
  '"><img src=x onerror=alert(1)>',
  "'); DROP TABLE tasks;--",
  "1' OR '1'='1",
  '<%= process.env %>',
].map((name) => ({ sent: enc(name), stored: name }));
// Malformed percent-encoding in a form body is not an error for the parser: it keeps the text as typed.
hostileButValidNames.push({ sent: '%E0%A4%A', stored: '%E0%A4%A' }, { sent: 'a%FFb', stored: 'a%FFb' });
