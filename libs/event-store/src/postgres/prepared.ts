import { createHash } from 'node:crypto';

export interface PreparedQuery {
  name: string;
  text: string;
  values: unknown[];
}

const names = new Map<string, string>();

/**
 * A named statement: PostgreSQL parses and plans it once per connection instead of on every call.
 * For the statements run on every append, read and inbox write. The name is derived from the text, so
 * two texts never share a name on a connection.
 */
export function prepared(text: string, values: unknown[]): PreparedQuery {
  let name = names.get(text);
  if (!name) {
    name = `p${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values };
}
