// A strict RFC 5545 reader for the tests of the calendar feeds: it refuses what a phone
// calendar might choke on instead of guessing. Checked: every line ends in CRLF; no physical
// line is longer than 75 octets; folding (CRLF + one space or tab) splits no UTF-8 character;
// each content line is NAME *(;PARAM=VALUE) : VALUE with valid names; BEGIN/END nest and match;
// TEXT values (SUMMARY, DESCRIPTION, X-WR-CALNAME, UID) have only the escapes \\ \; \, \n and no
// bare ; or ,; the calendar has VERSION:2.0 and PRODID; each VEVENT has exactly one UID, DTSTAMP
// (UTC date-time) and DTSTART; a VALUE=DATE is YYYYMMDD of a real date, DTEND after DTSTART;
// each VALARM has ACTION, TRIGGER (a duration) and, for DISPLAY, a DESCRIPTION.
// parse(text) returns { props, components: [{ name, props: [{name, params, value}], components }] }.

const NAME = /^[A-Za-z0-9-]+$/;
const TEXT_PROPS = new Set(['SUMMARY', 'DESCRIPTION', 'X-WR-CALNAME', 'UID', 'LOCATION', 'COMMENT']);

function fail(msg) {
  throw new Error(`ICS: ${msg}`);
}

function unfold(text) {
  if (!text.endsWith('\r\n')) fail('the text must end in CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  const logical = [];
  for (const [i, l] of physical.entries()) {
    if (/[\r\n]/.test(l)) fail(`line ${i + 1}: a bare CR or LF`);
    const octets = Buffer.byteLength(l, 'utf8');
    if (octets > 75) fail(`line ${i + 1}: ${octets} octets (at most 75)`);
    if (l.includes('\uFFFD')) fail(`line ${i + 1}: a UTF-8 character split by folding`);
    if (l.startsWith(' ') || l.startsWith('\t')) {
      if (!logical.length) fail('the first line is a continuation');
      logical[logical.length - 1] += l.slice(1);
    } else {
      if (!l.length) fail(`line ${i + 1}: empty`);
      logical.push(l);
    }
  }
  return logical;
}

function contentLine(l) {
  // name, then ;params (values may be quoted), then ':' and the value
  const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$/.exec(l);
  if (!m) fail(`not a content line: ${l}`);
  const params = {};
  for (const p of m[2].split(';').slice(1)) {
    const [k, ...v] = p.split('=');
    params[k.toUpperCase()] = v.join('=');
  }
  return { name: m[1].toUpperCase(), params, value: m[3] };
}

function checkText(name, value) {
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      if (!'\\;,nN'.includes(value[i + 1] ?? '')) fail(`${name}: a bad escape \\${value[i + 1]}`);
      i++;
    } else if (c === ';' || c === ',') fail(`${name}: an unescaped "${c}" in ${value}`);
    else if (c.charCodeAt(0) < 0x20) fail(`${name}: a control character`);
  }
}

export function unescapeText(v) {
  return v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));
}

function isDate(v) {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function one(c, name) {
  const ps = c.props.filter((p) => p.name === name);
  if (ps.length !== 1) fail(`${c.name}: ${ps.length} ${name} (exactly one wanted)`);
  return ps[0];
}

function checkComponent(c) {
  if (c.name === 'VEVENT') {
    one(c, 'UID');
    const stamp = one(c, 'DTSTAMP');
    if (!/^\d{8}T\d{6}Z$/.test(stamp.value)) fail(`DTSTAMP not a UTC date-time: ${stamp.value}`);
    const start = one(c, 'DTSTART');
    if (start.params.VALUE === 'DATE') {
      if (!isDate(start.value)) fail(`DTSTART not a date: ${start.value}`);
      const end = c.props.find((p) => p.name === 'DTEND');
      if (end) {
        if (end.params.VALUE !== 'DATE' || !isDate(end.value)) fail('DTEND must be a DATE like DTSTART');
        if (end.value <= start.value) fail('DTEND must come after DTSTART');
      }
    } else if (!/^\d{8}T\d{6}Z?$/.test(start.value)) fail(`DTSTART: ${start.value}`);
  }
  if (c.name === 'VALARM') {
    const action = one(c, 'ACTION').value;
    const trigger = one(c, 'TRIGGER').value;
    if (!/^[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$/.test(trigger) || trigger.endsWith('T') || /P$/.test(trigger))
      fail(`TRIGGER not a duration: ${trigger}`);
    if (action === 'DISPLAY') one(c, 'DESCRIPTION');
  }
  for (const s of c.components) checkComponent(s);
}

export function parse(text) {
  const lines = unfold(text);
  const root = { name: '', props: [], components: [] };
  const stack = [root];
  for (const l of lines) {
    const p = contentLine(l);
    if (!NAME.test(p.name)) fail(`bad name ${p.name}`);
    if (p.name === 'BEGIN') {
      const c = { name: p.value.toUpperCase(), props: [], components: [] };
      stack[stack.length - 1].components.push(c);
      stack.push(c);
    } else if (p.name === 'END') {
      const c = stack.pop();
      if (!c || c === root || c.name !== p.value.toUpperCase()) fail(`END:${p.value} does not close ${c?.name}`);
    } else {
      if (stack.length === 1) fail(`${p.name} outside any component`);
      if (TEXT_PROPS.has(p.name)) checkText(p.name, p.value);
      stack[stack.length - 1].props.push(p);
    }
  }
  if (stack.length !== 1) fail(`${stack[stack.length - 1].name} is never closed`);
  if (root.components.length !== 1 || root.components[0].name !== 'VCALENDAR') fail('one VCALENDAR wanted');
  const cal = root.components[0];
  if (one(cal, 'VERSION').value !== '2.0') fail('VERSION must be 2.0');
  one(cal, 'PRODID');
  checkComponent(cal);
  return cal;
}

/** The VEVENTs of a parsed calendar as { uid, summary, description, start, end, alarms }. */
export function events(cal) {
  const val = (c, n) => c.props.find((p) => p.name === n)?.value;
  return cal.components.filter((c) => c.name === 'VEVENT').map((c) => ({
    uid: unescapeText(val(c, 'UID')),
    summary: unescapeText(val(c, 'SUMMARY') ?? ''),
    description: unescapeText(val(c, 'DESCRIPTION') ?? ''),
    start: val(c, 'DTSTART'),
    startParams: c.props.find((p) => p.name === 'DTSTART').params,
    end: val(c, 'DTEND'),
    alarms: c.components.filter((a) => a.name === 'VALARM').map((a) => val(a, 'TRIGGER')),
  }));
}
