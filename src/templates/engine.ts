/**
 * The Handlebars that policies are written with: one private instance, made once with
 * `Handlebars.create()`. It has the policy helpers, collects `{{log}}` as warnings, writes `{{value}}` as
 * Markdown-escaped text (a title as plain text), and reports every repeat and partial to the render
 * limits. All of that is set on the instance and its templates: the shared `Handlebars` object, its
 * `Utils` and its `VM` are never assigned into, so anything else in the process using Handlebars sees
 * Handlebars as it ships.
 */
import Handlebars, { type HelperOptions } from 'handlebars';
import { PRECOMPILED } from '../generated/precompiled-templates.js';
import { escapeExpression, expressionText } from './escape.js';
import { policyHelpers } from './helpers.js';
import { meterPartial, meterRepeat } from './limits.js';

/** How `{{value}}` is written: Markdown-escaped (a policy's body and partials) or plain (its title). */
export type Escaping = 'markdown' | 'plain';
const ESCAPES: Record<Escaping, (value: unknown) => string> = {
  markdown: escapeExpression,
  plain: expressionText,
};

/** A compiled template, on the private instance. */
export type TemplateFunction = HandlebarsTemplateDelegate;

/** The parts of a template spec (compiled or precompiled) that are read here. */
interface Spec extends TemplateSpecification {
  main: (...args: unknown[]) => unknown;
  /** The decorators run before the template's main program, with its container. */
  main_d?: Decorator;
  /** Set by Handlebars on a spec compiled in this process: the options it was compiled with. */
  compilerOptions?: { escaping?: Escaping };
}
type Decorator = (program: unknown, props: unknown, container: Container, ...rest: unknown[]) => unknown;
/** What one template's compiled code calls: Handlebars makes one for each template (and partial). */
interface Container {
  escapeExpression: (value: unknown) => string;
}

type InvokePartial = (partial: unknown, context: unknown, options: { name?: unknown }) => unknown;
/** The Handlebars runtime, whose functions every instance's templates call through the instance's `VM`. */
interface Runtime {
  template: (spec: Spec, env: typeof Handlebars) => TemplateFunction;
  invokePartial: InvokePartial;
}
/** The properties of the private instance that are set here (on it, not on the shared object). */
interface Instance {
  VM: Runtime;
  template: (spec: Spec) => TemplateFunction;
  log: (level: unknown, ...message: unknown[]) => void;
}

const runtime = Handlebars.VM as unknown as Runtime;
const hb = Handlebars.create();
const instance = hb as unknown as Instance;

/**
 * A template from its spec, writing `{{value}}` as `escaping` says. Handlebars runs a spec's main
 * decorators with the template's container before any of its code, so the container's escape is set
 * there: on this template alone. (`main` is wrapped because Handlebars hangs the decorators on it, and a
 * precompiled spec is shared.)
 */
function instantiate(spec: Spec, escaping: Escaping): TemplateFunction {
  const { main, main_d: decorators } = spec;
  const escape = ESCAPES[escaping];
  return runtime.template(
    {
      ...spec,
      main: function (this: unknown, ...args: unknown[]) {
        return main.apply(this, args);
      },
      main_d: (program, props, container, ...rest) => {
        container.escapeExpression = escape;
        return decorators ? decorators(program, props, container, ...rest) : program;
      },
    },
    hb,
  );
}

// `compile` hands each spec it makes to the instance's `template`, with the options it was given.
instance.template = (spec) => instantiate(spec, spec.compilerOptions?.escaping ?? 'markdown');

// The instance's own runtime: the shared one, with every partial counted (the shared one is untouched).
instance.VM = {
  ...runtime,
  invokePartial(this: unknown, partial, context, options) {
    return meterPartial(options.name, () => runtime.invokePartial.call(this, partial, context, options));
  },
};

const helpers = policyHelpers(hb.SafeString);
hb.registerHelper(helpers);

// Each run of an `{{#each}}` or `{{#with}}` body is counted: Handlebars' own helpers, with their
// block's program counted as it is called.
for (const name of ['each', 'with']) {
  const helper = hb.helpers[name] as (...args: unknown[]) => unknown;
  hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
    const options = args.at(-1) as Partial<HelperOptions> | undefined;
    const program = options?.fn;
    if (typeof program === 'function') {
      args[args.length - 1] = {
        ...options,
        fn: function (this: unknown, ...programArgs: Parameters<TemplateFunction>) {
          meterRepeat();
          return program.apply(this, programArgs);
        },
      };
    }
    return helper.apply(this, args);
  });
}

/** What `{{log}}` wrote during the render being collected: rendering is synchronous, so one at a time. */
let logged: string[] | undefined;

/** Run a render, keeping what its `{{log}}` calls wrote: they become warnings, never console output. */
export function collectingLogs<T>(run: () => T): { value: T; logs: string[] } {
  const outer = logged;
  const logs: string[] = [];
  logged = logs;
  try {
    return { value: run(), logs };
  } finally {
    logged = outer;
  }
}

instance.log = (_level, ...message) => {
  logged?.push(message.map(String).join(' '));
};

/** The names of the helpers keypolicy adds to Handlebars' own. */
export const POLICY_HELPER_NAMES: readonly string[] = Object.keys(helpers);

/** Trusted markup a helper or the context makes, written as it is. */
export const SafeString = hb.SafeString;
export type SafeString = Handlebars.SafeString;

/** A template's syntax tree (parsing runs no template code). */
export const parse = (text: string): hbs.AST.Program => hb.parse(text);

/** Compile a template (or a parsed one) on the private instance; it is compiled when first run. */
export const compileTemplate = (
  input: string | hbs.AST.Program,
  escaping: Escaping,
  options: CompileOptions = {},
): TemplateFunction => {
  const withEscaping: CompileOptions & { escaping: Escaping } = { ...options, escaping };
  return hb.compile(input, withEscaping);
};

/** A policy template ready to run: its body, its title and the partials they can use. */
export interface CompiledPolicy {
  body: TemplateFunction;
  title: TemplateFunction;
  partials: Record<string, TemplateFunction>;
}

/**
 * Handlebars' compiler costs a cold process about 0.25 s for the built-in policy, so the built-in pack
 * ships precompiled (`npm run generate`), keyed by the text of the template and its partials. A template
 * whose text differs (a user's pack, an edited file) misses and is compiled as usual.
 */
export function precompiled(key: string): CompiledPolicy | undefined {
  const specs = PRECOMPILED[key];
  if (!specs) return undefined;
  const partials: Record<string, TemplateFunction> = {};
  for (const [name, spec] of Object.entries(specs.partials))
    partials[name] = instantiate(spec as Spec, 'markdown');
  return {
    body: instantiate(specs.body as Spec, 'markdown'),
    title: instantiate(specs.title as Spec, 'plain'),
    partials,
  };
}
