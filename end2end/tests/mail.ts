// Reads the messages the app under test wrote to its outbox directory
// (no SMTP_URL: every e-mail becomes an .eml file there).
import fs from 'node:fs';
import path from 'node:path';

const OUTBOX = path.resolve(__dirname, '../../target/e2e-data/outbox');

function decodePart(encoding: string, body: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const bytes = body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    default:
      return body;
  }
}

/** The decoded text of every part of a raw message, joined. */
function decode(raw: string): string {
  const parts = [...raw.matchAll(/Content-Transfer-Encoding: (\S+)\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)(?=\r?\n--)/g)];
  return parts.map(([, encoding, body]) => decodePart(encoding, body)).join('\n');
}

/** Waits for the newest message to `to` with a link to `route` and returns that link. */
export async function linkFromMail(to: string, route: string, after = 0): Promise<string> {
  const deadline = Date.now() + 20_000;
  const pattern = new RegExp(`https?://[^\\s"<>]+${route}\\?token=[0-9a-f]+`);
  while (Date.now() < deadline) {
    const files = fs.existsSync(OUTBOX)
      ? fs.readdirSync(OUTBOX).map((name) => path.join(OUTBOX, name))
          .map((file) => ({ file, time: fs.statSync(file).mtimeMs }))
          .filter(({ time }) => time > after)
          .sort((a, b) => b.time - a.time)
      : [];
    for (const { file } of files) {
      const raw = fs.readFileSync(file, 'utf8');
      if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
      const link = decode(raw).match(pattern);
      if (link) return link[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} with a ${route} link`);
}

/** Waits for a message to `to` whose text holds `text`; returns its decoded text. */
export async function mailWith(to: string, text: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).map((name) => path.join(OUTBOX, name)) : [];
    for (const file of files) {
      const raw = fs.readFileSync(file, 'utf8');
      if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
      const body = decode(raw);
      if (body.includes(text)) return body;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} saying «${text}»`);
}
