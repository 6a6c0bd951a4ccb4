import type { Config } from '../../config.js';
import { messages } from '../../messages.js';
import type { Accounts } from '../../services/accounts.js';
import { sendPage } from '../render.js';
import type { TypedApp } from '../typed-app.js';

const m = messages.apiDocs;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Schema {
  $ref?: string;
  type?: string | string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  description?: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components?: { securitySchemes?: Record<string, { in?: string; name?: string; description?: string }> };
}

/** A short name for a schema: a component's name, or the JSON type. */
function typeName(s: Schema | undefined): string {
  if (!s) return '';
  if (s.$ref) return s.$ref.replace('#/components/schemas/', '');
  if (s.anyOf) return s.anyOf.map(typeName).join(' | ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') return `${typeName(s.items)}[]`;
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'object');
}

const bodySchema = (content: Record<string, { schema?: Schema }> | undefined) => {
  const [type, media] = Object.entries(content ?? {})[0] ?? [];
  return type ? `${type}: ${typeName(media?.schema)}` : '';
};

interface Entry {
  method: string;
  path: string;
  op: Operation;
}

function OperationEntry({ method, path, op }: Entry) {
  const id = op.operationId ?? `${method}-${path}`;
  const needs = (op.security ?? []).flatMap((r) => Object.keys(r));
  return (
    <section class="api-operation" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <code>
          {method.toUpperCase()} {path}
        </code>{' '}
        <small>{id}</small>
      </h3>
      <p>{op.summary ?? m.noSummary}</p>
      {op.description ? <p>{op.description}</p> : null}
      {needs.length ? (
        <p>
          {m.signInNeeded} {needs.join(', ')}
        </p>
      ) : null}
      {op.parameters?.length ? (
        <table>
          <caption>{m.parameters}</caption>
          <thead>
            <tr>
              <th scope="col">{m.name}</th>
              <th scope="col">{m.location}</th>
              <th scope="col">{m.type}</th>
              <th scope="col">{m.required}</th>
              <th scope="col">{m.description}</th>
            </tr>
          </thead>
          <tbody>
            {op.parameters.map((p) => (
              <tr key={`${p.in}:${p.name}`}>
                <th scope="row">
                  <code>{p.name}</code>
                </th>
                <td>{p.in}</td>
                <td>{typeName(p.schema)}</td>
                <td>{p.required ? m.yes : m.no}</td>
                <td>{p.description ?? p.schema?.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {op.requestBody ? (
        <p>
          {m.requestBody}: <code>{bodySchema(op.requestBody.content)}</code>
        </p>
      ) : null}
      <h4>{m.responses}</h4>
      <ul>
        {Object.entries(op.responses ?? {}).map(([code, r]) => (
          <li key={code}>
            <code>{code}</code> {r.content ? <code>{bodySchema(r.content)}</code> : null}{' '}
            {r.description && r.description !== 'Default Response' ? r.description : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The operations of the document, grouped by their first tag, in the document's order. */
function byTag(doc: Document): Map<string, Entry[]> {
  const tags = new Map<string, Entry[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!tags.has(tag)) tags.set(tag, []);
      tags.get(tag)!.push({ method, path, op });
    }
  }
  return tags;
}

function ApiReference({ doc }: { doc: Document }) {
  const tags = byTag(doc);
  const schemes = Object.entries(doc.components?.securitySchemes ?? {});
  return (
    <article class="api-docs">
      <h1>{m.title}</h1>
      <p>
        {m.intro} <a href="/api/v1/openapi.json">{m.documentLink}</a>
      </p>
      <nav aria-labelledby="api-contents">
        <h2 id="api-contents">{m.contents}</h2>
        <ul>
          <li>
            <a href="#authentication">{m.authHeading}</a>
          </li>
          {[...tags.keys()].map((tag) => (
            <li key={tag}>
              <a href={`#tag-${tag}`}>{tag}</a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="authentication">
        <h2 id="authentication">{m.authHeading}</h2>
        <dl>
          {schemes.map(([name, s]) => [
            <dt key={`${name}-t`}>
              <code>{name}</code>: {m.schemeIn(s.in ?? '', s.name ?? '')}
            </dt>,
            <dd key={`${name}-d`}>{s.description ?? ''}</dd>,
          ])}
        </dl>
      </section>
      {[...tags].map(([tag, entries]) => (
        <section key={tag} aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tag}</h2>
          {entries.map((e) => (
            <OperationEntry key={`${e.method} ${e.path}`} {...e} />
          ))}
        </section>
      ))}
    </article>
  );
}

/**
 * `/api/docs`: the API reference, rendered on the server from the OpenAPI document the API serves,
 * so it needs no script and nothing from another origin (the CSP allows neither).
 */
export async function docsRoutes(app: TypedApp, deps: { config: Config; accounts: Accounts }) {
  app.get('/api/docs', async (req, reply) =>
    sendPage(req, reply, deps, { title: m.title, description: m.intro }, <ApiReference doc={app.swagger() as unknown as Document} />),
  );
}
