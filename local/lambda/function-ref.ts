// What Invoke accepts as FunctionName: a name, a partial ARN or a full ARN, with an optional
// qualifier; locally only `$LATEST` exists.

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

const namePart = '([A-Za-z0-9_-]{1,140})';
const qualifierPart = '(?::([A-Za-z0-9$_-]{1,128}))?';
const patterns = [
  new RegExp(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:${namePart}${qualifierPart}$`),
  new RegExp(`^\\d{12}:function:${namePart}${qualifierPart}$`),
  new RegExp(`^${namePart}${qualifierPart}$`),
];

/** Undefined when `ref` is not a function name or ARN at all. */
export function parseFunctionRef(ref: string): FunctionRef | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(ref);
    if (match?.[1]) return { name: match[1], ...(match[2] ? { qualifier: match[2] } : {}) };
  }
  return undefined;
}

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}
