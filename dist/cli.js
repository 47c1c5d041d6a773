#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import path, { posix } from 'node:path';
import { promises, existsSync, statSync } from 'node:fs';
import require$$0$1 from 'process';
import require$$0$2 from 'buffer';
import { createHash } from 'node:crypto';
import require$$0$3 from 'path';
import { crc32, deflateRawSync, createGunzip } from 'node:zlib';
import os from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isUtf8 } from 'node:buffer';
import require$$0$4 from 'events';
import { parseArgs } from 'node:util';

// Plain-Node implementation of Runtime, used by the CLI and by tests.
const nodeCommandRunner = {
    run(command, args, options = {}) {
        return new Promise((resolve, reject) => {
            const child = spawn(command, args, {
                cwd: options.cwd,
                env: options.env ? { ...process.env, ...options.env } : process.env,
                stdio: ['ignore', 'pipe', 'pipe']
            });
            let stdout = '';
            let stderr = '';
            child.stdout.setEncoding('utf8').on('data', (c) => {
                stdout += c;
                options.onStdout?.(c);
            });
            child.stderr.setEncoding('utf8').on('data', (c) => {
                stderr += c;
                options.onStderr?.(c);
            });
            child.on('error', reject);
            child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
        });
    }
};
/** Logger writing to stderr (stdout is reserved for the report, e.g. `--format json`). */
function stderrLogger(verbose = false) {
    const write = (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');
    return {
        info: (m) => write(m),
        warning: (m) => write(`warning: ${m}`),
        debug: (m) => {
            if (verbose)
                write(`debug: ${m}`);
        },
        async group(name, fn) {
            write(`── ${name}`);
            return fn();
        }
    };
}
/**
 * Like the Actions runner's log masking: every value registered with maskSecret is replaced by `***` in
 * everything the CLI logs (build output included), so a RUN that echoes a token does not print it.
 */
function nodeRuntime(opts = {}) {
    const secrets = new Set();
    const mask = (text) => {
        let out = text;
        for (const s of secrets)
            out = out.split(s).join('***');
        return out;
    };
    const inner = opts.logger ?? stderrLogger(opts.verbose);
    const log = {
        info: (m) => inner.info(mask(m)),
        warning: (m) => inner.warning(mask(m)),
        debug: (m) => inner.debug(mask(m)),
        group: (name, fn) => inner.group(mask(name), fn)
    };
    return {
        log,
        exec: nodeCommandRunner,
        // Short values would mask ordinary words; the Actions runner has the same floor in spirit.
        maskSecret: (value) => {
            if (value.trim().length >= 4)
                secrets.add(value.trim());
        }
    };
}

// A UserError is a problem with the user's input or environment: shells print its message (one actionable
// paragraph) and exit non-zero, never a stack trace. Anything else is a bug and is reported as such.
class UserError extends Error {
    hint;
    constructor(message, hint) {
        super(hint ? `${message}\n${hint}` : message);
        this.hint = hint;
        this.name = 'UserError';
    }
}
const isUserError = (e) => e instanceof UserError;
/** The message a shell shows for any thrown value. */
function describeError(e) {
    if (isUserError(e))
        return e.message;
    const msg = e instanceof Error ? e.message : String(e);
    return `Unexpected internal error: ${msg}\nPlease report it at https://github.com/image-audit/image-audit/issues with the command you ran.`;
}

// Build inputs, named as docker/build-push-action names them, and the pure translation into a
// `docker buildx build` argument list. Nothing here touches Docker, the file system or @actions/*.
/** Splits a multi-line input: one item per line, blank lines and surrounding spaces dropped. */
function splitLines(text) {
    return (text ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
}
/** Splits list inputs that also accept commas (tags, cache-from/to accept one per line, as build-push-action). */
function splitList(text) {
    return splitLines(text).flatMap((l) => (l.includes('type=') ? [l] : l.split(',').map((s) => s.trim()).filter(Boolean)));
}
function parseBoolean(name, text, fallback) {
    const v = (text ?? '').trim().toLowerCase();
    if (v === '')
        return fallback;
    if (['true', 'yes', '1', 'on'].includes(v))
        return true;
    if (['false', 'no', '0', 'off'].includes(v))
        return false;
    throw new UserError(`Input ${name}: '${text}' is not a boolean.`, 'Use true or false.');
}
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
function parseBuildInputs(raw) {
    const context = raw.context?.trim() || '.';
    const file = raw.file?.trim() || path.join(context, 'Dockerfile');
    const buildArgs = splitLines(raw['build-args']);
    for (const arg of buildArgs) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
            throw new UserError(`Input build-args: '${arg.split('=')[0]}' is not of the form KEY=VALUE.`, 'Give one KEY=VALUE per line, e.g.\n  build-args: |\n    NODE_ENV=production');
        }
    }
    const secrets = splitLines(raw.secrets).map((line) => {
        const eq = line.indexOf('=');
        const id = eq > 0 ? line.slice(0, eq).trim() : '';
        if (!/^[A-Za-z0-9_.-]+$/.test(id)) {
            // Never echo the line: it holds the secret value.
            throw new UserError('Input secrets: every line must be id=value with an id of letters, digits, dot, dash or underscore.', 'Example:\n  secrets: |\n    npm_token=${{ secrets.NPM_TOKEN }}\nand in the Dockerfile: RUN --mount=type=secret,id=npm_token …');
        }
        let value = line.slice(eq + 1);
        // build-push-action accepts "id=\"value\""; strip one level of matching quotes.
        if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
            value = value.slice(1, -1);
        }
        return { id, value };
    });
    const platform = raw.platform?.trim() || undefined;
    if (platform !== undefined) {
        if (platform.includes(',')) {
            throw new UserError(`Input platform: '${platform}' names several platforms; image-audit measures one image at a time.`, 'Give exactly one platform (e.g. linux/amd64), or run the action once per platform in a matrix.');
        }
        if (!PLATFORM.test(platform)) {
            throw new UserError(`Input platform: '${platform}' is not a platform.`, 'Use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.');
        }
    }
    return {
        context,
        file,
        target: raw.target?.trim() || undefined,
        buildArgs,
        secrets,
        builder: raw.builder?.trim() || undefined,
        cacheFrom: splitList(raw['cache-from']),
        cacheTo: splitList(raw['cache-to']),
        noCache: parseBoolean('no-cache', raw['no-cache'], false),
        platform,
        tags: splitList(raw.tags)
    };
}
/** The `docker` argument list for one build. Pure: same inputs, same list. */
function buildxArgs(inputs, files) {
    const args = ['buildx', 'build'];
    if (inputs.builder)
        args.push('--builder', inputs.builder);
    args.push('--file', inputs.file);
    if (inputs.target)
        args.push('--target', inputs.target);
    for (const a of inputs.buildArgs)
        args.push('--build-arg', a);
    for (const s of inputs.secrets) {
        const src = files.secretFiles[s.id];
        if (!src)
            throw new Error(`no temp file for secret ${s.id}`);
        args.push('--secret', `id=${s.id},src=${src}`);
    }
    for (const c of inputs.cacheFrom)
        args.push('--cache-from', c);
    for (const c of inputs.cacheTo)
        args.push('--cache-to', c);
    if (inputs.noCache)
        args.push('--no-cache');
    if (inputs.platform)
        args.push('--platform', inputs.platform);
    for (const t of inputs.tags)
        args.push('--tag', t);
    args.push('--load', '--iidfile', files.iidFile, '--metadata-file', files.metadataFile, '--progress', 'plain');
    // A context starting with '-' would read as a flag.
    args.push(inputs.context.startsWith('-') ? `./${inputs.context}` : inputs.context);
    return args;
}

var commonjsGlobal = typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : typeof global !== 'undefined' ? global : typeof self !== 'undefined' ? self : {};

function getDefaultExportFromCjs (x) {
	return x && x.__esModule && Object.prototype.hasOwnProperty.call(x, 'default') ? x['default'] : x;
}

function getAugmentedNamespace(n) {
  if (Object.prototype.hasOwnProperty.call(n, '__esModule')) return n;
  var f = n.default;
	if (typeof f == "function") {
		var a = function a () {
			var isInstance = false;
      try {
        isInstance = this instanceof a;
      } catch (e) {}
			if (isInstance) {
        return Reflect.construct(f, arguments, this.constructor);
			}
			return f.apply(this, arguments);
		};
		a.prototype = f.prototype;
  } else a = {};
  Object.defineProperty(a, '__esModule', {value: true});
	Object.keys(n).forEach(function (k) {
		var d = Object.getOwnPropertyDescriptor(n, k);
		Object.defineProperty(a, k, d.get ? d : {
			enumerable: true,
			get: function () {
				return n[k];
			}
		});
	});
	return a;
}

var dist = {};

var composer = {};

var directives = {};

var identity = {};

var hasRequiredIdentity;

function requireIdentity () {
	if (hasRequiredIdentity) return identity;
	hasRequiredIdentity = 1;

	const ALIAS = Symbol.for('yaml.alias');
	const DOC = Symbol.for('yaml.document');
	const MAP = Symbol.for('yaml.map');
	const PAIR = Symbol.for('yaml.pair');
	const SCALAR = Symbol.for('yaml.scalar');
	const SEQ = Symbol.for('yaml.seq');
	const NODE_TYPE = Symbol.for('yaml.node.type');
	const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
	const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
	const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
	const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
	const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
	const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
	function isCollection(node) {
	    if (node && typeof node === 'object')
	        switch (node[NODE_TYPE]) {
	            case MAP:
	            case SEQ:
	                return true;
	        }
	    return false;
	}
	function isNode(node) {
	    if (node && typeof node === 'object')
	        switch (node[NODE_TYPE]) {
	            case ALIAS:
	            case MAP:
	            case SCALAR:
	            case SEQ:
	                return true;
	        }
	    return false;
	}
	const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

	identity.ALIAS = ALIAS;
	identity.DOC = DOC;
	identity.MAP = MAP;
	identity.NODE_TYPE = NODE_TYPE;
	identity.PAIR = PAIR;
	identity.SCALAR = SCALAR;
	identity.SEQ = SEQ;
	identity.hasAnchor = hasAnchor;
	identity.isAlias = isAlias;
	identity.isCollection = isCollection;
	identity.isDocument = isDocument;
	identity.isMap = isMap;
	identity.isNode = isNode;
	identity.isPair = isPair;
	identity.isScalar = isScalar;
	identity.isSeq = isSeq;
	return identity;
}

var visit = {};

var hasRequiredVisit;

function requireVisit () {
	if (hasRequiredVisit) return visit;
	hasRequiredVisit = 1;

	var identity = requireIdentity();

	const BREAK = Symbol('break visit');
	const SKIP = Symbol('skip children');
	const REMOVE = Symbol('remove node');
	/**
	 * Apply a visitor to an AST node or document.
	 *
	 * Walks through the tree (depth-first) starting from `node`, calling a
	 * `visitor` function with three arguments:
	 *   - `key`: For sequence values and map `Pair`, the node's index in the
	 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
	 *     `null` for the root node.
	 *   - `node`: The current node.
	 *   - `path`: The ancestry of the current node.
	 *
	 * The return value of the visitor may be used to control the traversal:
	 *   - `undefined` (default): Do nothing and continue
	 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
	 *     sibling
	 *   - `visit.BREAK`: Terminate traversal completely
	 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
	 *   - `Node`: Replace the current node, then continue by visiting it
	 *   - `number`: While iterating the items of a sequence or map, set the index
	 *     of the next step. This is useful especially if the index of the current
	 *     node has changed.
	 *
	 * If `visitor` is a single function, it will be called with all values
	 * encountered in the tree, including e.g. `null` values. Alternatively,
	 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
	 * `Alias` and `Scalar` node. To define the same visitor function for more than
	 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
	 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
	 * specific defined one will be used for each node.
	 */
	function visit$1(node, visitor) {
	    const visitor_ = initVisitor(visitor);
	    if (identity.isDocument(node)) {
	        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
	        if (cd === REMOVE)
	            node.contents = null;
	    }
	    else
	        visit_(null, node, visitor_, Object.freeze([]));
	}
	// Without the `as symbol` casts, TS declares these in the `visit`
	// namespace using `var`, but then complains about that because
	// `unique symbol` must be `const`.
	/** Terminate visit traversal completely */
	visit$1.BREAK = BREAK;
	/** Do not visit the children of the current node */
	visit$1.SKIP = SKIP;
	/** Remove the current node */
	visit$1.REMOVE = REMOVE;
	function visit_(key, node, visitor, path) {
	    const ctrl = callVisitor(key, node, visitor, path);
	    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
	        replaceNode(key, path, ctrl);
	        return visit_(key, ctrl, visitor, path);
	    }
	    if (typeof ctrl !== 'symbol') {
	        if (identity.isCollection(node)) {
	            path = Object.freeze(path.concat(node));
	            for (let i = 0; i < node.items.length; ++i) {
	                const ci = visit_(i, node.items[i], visitor, path);
	                if (typeof ci === 'number')
	                    i = ci - 1;
	                else if (ci === BREAK)
	                    return BREAK;
	                else if (ci === REMOVE) {
	                    node.items.splice(i, 1);
	                    i -= 1;
	                }
	            }
	        }
	        else if (identity.isPair(node)) {
	            path = Object.freeze(path.concat(node));
	            const ck = visit_('key', node.key, visitor, path);
	            if (ck === BREAK)
	                return BREAK;
	            else if (ck === REMOVE)
	                node.key = null;
	            const cv = visit_('value', node.value, visitor, path);
	            if (cv === BREAK)
	                return BREAK;
	            else if (cv === REMOVE)
	                node.value = null;
	        }
	    }
	    return ctrl;
	}
	/**
	 * Apply an async visitor to an AST node or document.
	 *
	 * Walks through the tree (depth-first) starting from `node`, calling a
	 * `visitor` function with three arguments:
	 *   - `key`: For sequence values and map `Pair`, the node's index in the
	 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
	 *     `null` for the root node.
	 *   - `node`: The current node.
	 *   - `path`: The ancestry of the current node.
	 *
	 * The return value of the visitor may be used to control the traversal:
	 *   - `Promise`: Must resolve to one of the following values
	 *   - `undefined` (default): Do nothing and continue
	 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
	 *     sibling
	 *   - `visit.BREAK`: Terminate traversal completely
	 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
	 *   - `Node`: Replace the current node, then continue by visiting it
	 *   - `number`: While iterating the items of a sequence or map, set the index
	 *     of the next step. This is useful especially if the index of the current
	 *     node has changed.
	 *
	 * If `visitor` is a single function, it will be called with all values
	 * encountered in the tree, including e.g. `null` values. Alternatively,
	 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
	 * `Alias` and `Scalar` node. To define the same visitor function for more than
	 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
	 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
	 * specific defined one will be used for each node.
	 */
	async function visitAsync(node, visitor) {
	    const visitor_ = initVisitor(visitor);
	    if (identity.isDocument(node)) {
	        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
	        if (cd === REMOVE)
	            node.contents = null;
	    }
	    else
	        await visitAsync_(null, node, visitor_, Object.freeze([]));
	}
	// Without the `as symbol` casts, TS declares these in the `visit`
	// namespace using `var`, but then complains about that because
	// `unique symbol` must be `const`.
	/** Terminate visit traversal completely */
	visitAsync.BREAK = BREAK;
	/** Do not visit the children of the current node */
	visitAsync.SKIP = SKIP;
	/** Remove the current node */
	visitAsync.REMOVE = REMOVE;
	async function visitAsync_(key, node, visitor, path) {
	    const ctrl = await callVisitor(key, node, visitor, path);
	    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
	        replaceNode(key, path, ctrl);
	        return visitAsync_(key, ctrl, visitor, path);
	    }
	    if (typeof ctrl !== 'symbol') {
	        if (identity.isCollection(node)) {
	            path = Object.freeze(path.concat(node));
	            for (let i = 0; i < node.items.length; ++i) {
	                const ci = await visitAsync_(i, node.items[i], visitor, path);
	                if (typeof ci === 'number')
	                    i = ci - 1;
	                else if (ci === BREAK)
	                    return BREAK;
	                else if (ci === REMOVE) {
	                    node.items.splice(i, 1);
	                    i -= 1;
	                }
	            }
	        }
	        else if (identity.isPair(node)) {
	            path = Object.freeze(path.concat(node));
	            const ck = await visitAsync_('key', node.key, visitor, path);
	            if (ck === BREAK)
	                return BREAK;
	            else if (ck === REMOVE)
	                node.key = null;
	            const cv = await visitAsync_('value', node.value, visitor, path);
	            if (cv === BREAK)
	                return BREAK;
	            else if (cv === REMOVE)
	                node.value = null;
	        }
	    }
	    return ctrl;
	}
	function initVisitor(visitor) {
	    if (typeof visitor === 'object' &&
	        (visitor.Collection || visitor.Node || visitor.Value)) {
	        return Object.assign({
	            Alias: visitor.Node,
	            Map: visitor.Node,
	            Scalar: visitor.Node,
	            Seq: visitor.Node
	        }, visitor.Value && {
	            Map: visitor.Value,
	            Scalar: visitor.Value,
	            Seq: visitor.Value
	        }, visitor.Collection && {
	            Map: visitor.Collection,
	            Seq: visitor.Collection
	        }, visitor);
	    }
	    return visitor;
	}
	function callVisitor(key, node, visitor, path) {
	    if (typeof visitor === 'function')
	        return visitor(key, node, path);
	    if (identity.isMap(node))
	        return visitor.Map?.(key, node, path);
	    if (identity.isSeq(node))
	        return visitor.Seq?.(key, node, path);
	    if (identity.isPair(node))
	        return visitor.Pair?.(key, node, path);
	    if (identity.isScalar(node))
	        return visitor.Scalar?.(key, node, path);
	    if (identity.isAlias(node))
	        return visitor.Alias?.(key, node, path);
	    return undefined;
	}
	function replaceNode(key, path, node) {
	    const parent = path[path.length - 1];
	    if (identity.isCollection(parent)) {
	        parent.items[key] = node;
	    }
	    else if (identity.isPair(parent)) {
	        if (key === 'key')
	            parent.key = node;
	        else
	            parent.value = node;
	    }
	    else if (identity.isDocument(parent)) {
	        parent.contents = node;
	    }
	    else {
	        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
	        throw new Error(`Cannot replace node with ${pt} parent`);
	    }
	}

	visit.visit = visit$1;
	visit.visitAsync = visitAsync;
	return visit;
}

var hasRequiredDirectives;

function requireDirectives () {
	if (hasRequiredDirectives) return directives;
	hasRequiredDirectives = 1;

	var identity = requireIdentity();
	var visit = requireVisit();

	const escapeChars = {
	    '!': '%21',
	    ',': '%2C',
	    '[': '%5B',
	    ']': '%5D',
	    '{': '%7B',
	    '}': '%7D'
	};
	const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
	class Directives {
	    constructor(yaml, tags) {
	        /**
	         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
	         * included in the document's stringified representation.
	         */
	        this.docStart = null;
	        /** The doc-end marker `...`.  */
	        this.docEnd = false;
	        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
	        this.tags = Object.assign({}, Directives.defaultTags, tags);
	    }
	    clone() {
	        const copy = new Directives(this.yaml, this.tags);
	        copy.docStart = this.docStart;
	        return copy;
	    }
	    /**
	     * During parsing, get a Directives instance for the current document and
	     * update the stream state according to the current version's spec.
	     */
	    atDocument() {
	        const res = new Directives(this.yaml, this.tags);
	        switch (this.yaml.version) {
	            case '1.1':
	                this.atNextDocument = true;
	                break;
	            case '1.2':
	                this.atNextDocument = false;
	                this.yaml = {
	                    explicit: Directives.defaultYaml.explicit,
	                    version: '1.2'
	                };
	                this.tags = Object.assign({}, Directives.defaultTags);
	                break;
	        }
	        return res;
	    }
	    /**
	     * @param onError - May be called even if the action was successful
	     * @returns `true` on success
	     */
	    add(line, onError) {
	        if (this.atNextDocument) {
	            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
	            this.tags = Object.assign({}, Directives.defaultTags);
	            this.atNextDocument = false;
	        }
	        const parts = line.trim().split(/[ \t]+/);
	        const name = parts.shift();
	        switch (name) {
	            case '%TAG': {
	                if (parts.length !== 2) {
	                    onError(0, '%TAG directive should contain exactly two parts');
	                    if (parts.length < 2)
	                        return false;
	                }
	                const [handle, prefix] = parts;
	                this.tags[handle] = prefix;
	                return true;
	            }
	            case '%YAML': {
	                this.yaml.explicit = true;
	                if (parts.length !== 1) {
	                    onError(0, '%YAML directive should contain exactly one part');
	                    return false;
	                }
	                const [version] = parts;
	                if (version === '1.1' || version === '1.2') {
	                    this.yaml.version = version;
	                    return true;
	                }
	                else {
	                    const isValid = /^\d+\.\d+$/.test(version);
	                    onError(6, `Unsupported YAML version ${version}`, isValid);
	                    return false;
	                }
	            }
	            default:
	                onError(0, `Unknown directive ${name}`, true);
	                return false;
	        }
	    }
	    /**
	     * Resolves a tag, matching handles to those defined in %TAG directives.
	     *
	     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
	     *   `'!local'` tag, or `null` if unresolvable.
	     */
	    tagName(source, onError) {
	        if (source === '!')
	            return '!'; // non-specific tag
	        if (source[0] !== '!') {
	            onError(`Not a valid tag: ${source}`);
	            return null;
	        }
	        if (source[1] === '<') {
	            const verbatim = source.slice(2, -1);
	            if (verbatim === '!' || verbatim === '!!') {
	                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
	                return null;
	            }
	            if (source[source.length - 1] !== '>')
	                onError('Verbatim tags must end with a >');
	            return verbatim;
	        }
	        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
	        if (!suffix)
	            onError(`The ${source} tag has no suffix`);
	        const prefix = this.tags[handle];
	        if (prefix) {
	            try {
	                return prefix + decodeURIComponent(suffix);
	            }
	            catch (error) {
	                onError(String(error));
	                return null;
	            }
	        }
	        if (handle === '!')
	            return source; // local tag
	        onError(`Could not resolve tag: ${source}`);
	        return null;
	    }
	    /**
	     * Given a fully resolved tag, returns its printable string form,
	     * taking into account current tag prefixes and defaults.
	     */
	    tagString(tag) {
	        for (const [handle, prefix] of Object.entries(this.tags)) {
	            if (tag.startsWith(prefix))
	                return handle + escapeTagName(tag.substring(prefix.length));
	        }
	        return tag[0] === '!' ? tag : `!<${tag}>`;
	    }
	    toString(doc) {
	        const lines = this.yaml.explicit
	            ? [`%YAML ${this.yaml.version || '1.2'}`]
	            : [];
	        const tagEntries = Object.entries(this.tags);
	        let tagNames;
	        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
	            const tags = {};
	            visit.visit(doc.contents, (_key, node) => {
	                if (identity.isNode(node) && node.tag)
	                    tags[node.tag] = true;
	            });
	            tagNames = Object.keys(tags);
	        }
	        else
	            tagNames = [];
	        for (const [handle, prefix] of tagEntries) {
	            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
	                continue;
	            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
	                lines.push(`%TAG ${handle} ${prefix}`);
	        }
	        return lines.join('\n');
	    }
	}
	Directives.defaultYaml = { explicit: false, version: '1.2' };
	Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

	directives.Directives = Directives;
	return directives;
}

var Document = {};

var Alias = {};

var anchors = {};

var hasRequiredAnchors;

function requireAnchors () {
	if (hasRequiredAnchors) return anchors;
	hasRequiredAnchors = 1;

	var identity = requireIdentity();
	var visit = requireVisit();

	/**
	 * Verify that the input string is a valid anchor.
	 *
	 * Will throw on errors.
	 */
	function anchorIsValid(anchor) {
	    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
	        const sa = JSON.stringify(anchor);
	        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
	        throw new Error(msg);
	    }
	    return true;
	}
	function anchorNames(root) {
	    const anchors = new Set();
	    visit.visit(root, {
	        Value(_key, node) {
	            if (node.anchor)
	                anchors.add(node.anchor);
	        }
	    });
	    return anchors;
	}
	/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
	function findNewAnchor(prefix, exclude) {
	    for (let i = 1; true; ++i) {
	        const name = `${prefix}${i}`;
	        if (!exclude.has(name))
	            return name;
	    }
	}
	function createNodeAnchors(doc, prefix) {
	    const aliasObjects = [];
	    const sourceObjects = new Map();
	    let prevAnchors = null;
	    return {
	        onAnchor: (source) => {
	            aliasObjects.push(source);
	            prevAnchors ?? (prevAnchors = anchorNames(doc));
	            const anchor = findNewAnchor(prefix, prevAnchors);
	            prevAnchors.add(anchor);
	            return anchor;
	        },
	        /**
	         * With circular references, the source node is only resolved after all
	         * of its child nodes are. This is why anchors are set only after all of
	         * the nodes have been created.
	         */
	        setAnchors: () => {
	            for (const source of aliasObjects) {
	                const ref = sourceObjects.get(source);
	                if (typeof ref === 'object' &&
	                    ref.anchor &&
	                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
	                    ref.node.anchor = ref.anchor;
	                }
	                else {
	                    const error = new Error('Failed to resolve repeated object (this should not happen)');
	                    error.source = source;
	                    throw error;
	                }
	            }
	        },
	        sourceObjects
	    };
	}

	anchors.anchorIsValid = anchorIsValid;
	anchors.anchorNames = anchorNames;
	anchors.createNodeAnchors = createNodeAnchors;
	anchors.findNewAnchor = findNewAnchor;
	return anchors;
}

var Node = {};

var applyReviver = {};

var hasRequiredApplyReviver;

function requireApplyReviver () {
	if (hasRequiredApplyReviver) return applyReviver;
	hasRequiredApplyReviver = 1;

	/**
	 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
	 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
	 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
	 *
	 * Includes extensions for handling Map and Set objects.
	 */
	function applyReviver$1(reviver, obj, key, val) {
	    if (val && typeof val === 'object') {
	        if (Array.isArray(val)) {
	            for (let i = 0, len = val.length; i < len; ++i) {
	                const v0 = val[i];
	                const v1 = applyReviver$1(reviver, val, String(i), v0);
	                // eslint-disable-next-line @typescript-eslint/no-array-delete
	                if (v1 === undefined)
	                    delete val[i];
	                else if (v1 !== v0)
	                    val[i] = v1;
	            }
	        }
	        else if (val instanceof Map) {
	            for (const k of Array.from(val.keys())) {
	                const v0 = val.get(k);
	                const v1 = applyReviver$1(reviver, val, k, v0);
	                if (v1 === undefined)
	                    val.delete(k);
	                else if (v1 !== v0)
	                    val.set(k, v1);
	            }
	        }
	        else if (val instanceof Set) {
	            for (const v0 of Array.from(val)) {
	                const v1 = applyReviver$1(reviver, val, v0, v0);
	                if (v1 === undefined)
	                    val.delete(v0);
	                else if (v1 !== v0) {
	                    val.delete(v0);
	                    val.add(v1);
	                }
	            }
	        }
	        else {
	            for (const [k, v0] of Object.entries(val)) {
	                const v1 = applyReviver$1(reviver, val, k, v0);
	                if (v1 === undefined)
	                    delete val[k];
	                else if (v1 !== v0)
	                    val[k] = v1;
	            }
	        }
	    }
	    return reviver.call(obj, key, val);
	}

	applyReviver.applyReviver = applyReviver$1;
	return applyReviver;
}

var toJS = {};

var hasRequiredToJS;

function requireToJS () {
	if (hasRequiredToJS) return toJS;
	hasRequiredToJS = 1;

	var identity = requireIdentity();

	/**
	 * Recursively convert any node or its contents to native JavaScript
	 *
	 * @param value - The input value
	 * @param arg - If `value` defines a `toJSON()` method, use this
	 *   as its first argument
	 * @param ctx - Conversion context, originally set in Document#toJS(). If
	 *   `{ keep: true }` is not set, output should be suitable for JSON
	 *   stringification.
	 */
	function toJS$1(value, arg, ctx) {
	    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
	    if (Array.isArray(value))
	        return value.map((v, i) => toJS$1(v, String(i), ctx));
	    if (value && typeof value.toJSON === 'function') {
	        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
	        if (!ctx || !identity.hasAnchor(value))
	            return value.toJSON(arg, ctx);
	        const data = { aliasCount: 0, count: 1, res: undefined };
	        ctx.anchors.set(value, data);
	        ctx.onCreate = res => {
	            data.res = res;
	            delete ctx.onCreate;
	        };
	        const res = value.toJSON(arg, ctx);
	        if (ctx.onCreate)
	            ctx.onCreate(res);
	        return res;
	    }
	    if (typeof value === 'bigint' && !ctx?.keep)
	        return Number(value);
	    return value;
	}

	toJS.toJS = toJS$1;
	return toJS;
}

var hasRequiredNode;

function requireNode () {
	if (hasRequiredNode) return Node;
	hasRequiredNode = 1;

	var applyReviver = requireApplyReviver();
	var identity = requireIdentity();
	var toJS = requireToJS();

	class NodeBase {
	    constructor(type) {
	        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
	    }
	    /** Create a copy of this node.  */
	    clone() {
	        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
	        if (this.range)
	            copy.range = this.range.slice();
	        return copy;
	    }
	    /** A plain JavaScript representation of this node. */
	    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
	        if (!identity.isDocument(doc))
	            throw new TypeError('A document argument is required');
	        const ctx = {
	            anchors: new Map(),
	            doc,
	            keep: true,
	            mapAsMap: mapAsMap === true,
	            mapKeyWarned: false,
	            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
	        };
	        const res = toJS.toJS(this, '', ctx);
	        if (typeof onAnchor === 'function')
	            for (const { count, res } of ctx.anchors.values())
	                onAnchor(res, count);
	        return typeof reviver === 'function'
	            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
	            : res;
	    }
	}

	Node.NodeBase = NodeBase;
	return Node;
}

var hasRequiredAlias;

function requireAlias () {
	if (hasRequiredAlias) return Alias;
	hasRequiredAlias = 1;

	var anchors = requireAnchors();
	var visit = requireVisit();
	var identity = requireIdentity();
	var Node = requireNode();
	var toJS = requireToJS();

	let Alias$1 = class Alias extends Node.NodeBase {
	    constructor(source) {
	        super(identity.ALIAS);
	        this.source = source;
	        Object.defineProperty(this, 'tag', {
	            set() {
	                throw new Error('Alias nodes cannot have tags');
	            }
	        });
	    }
	    /**
	     * Resolve the value of this alias within `doc`, finding the last
	     * instance of the `source` anchor before this node.
	     */
	    resolve(doc, ctx) {
	        if (ctx?.maxAliasCount === 0)
	            throw new ReferenceError('Alias resolution is disabled');
	        let nodes;
	        if (ctx?.aliasResolveCache) {
	            nodes = ctx.aliasResolveCache;
	        }
	        else {
	            nodes = [];
	            visit.visit(doc, {
	                Node: (_key, node) => {
	                    if (identity.isAlias(node) || identity.hasAnchor(node))
	                        nodes.push(node);
	                }
	            });
	            if (ctx)
	                ctx.aliasResolveCache = nodes;
	        }
	        let found = undefined;
	        for (const node of nodes) {
	            if (node === this)
	                break;
	            if (node.anchor === this.source)
	                found = node;
	        }
	        if (found && ctx) {
	            const { anchors, doc, maxAliasCount } = ctx;
	            let data = anchors.get(found);
	            if (!data) {
	                // Resolve anchors for Node.prototype.toJS()
	                toJS.toJS(found, null, ctx);
	                data = anchors.get(found);
	            }
	            /* istanbul ignore if */
	            if (data?.res === undefined) {
	                const msg = 'This should not happen: Alias anchor was not resolved?';
	                throw new ReferenceError(msg);
	            }
	            if (maxAliasCount >= 0) {
	                data.count += 1;
	                if (data.aliasCount === 0)
	                    data.aliasCount = getAliasCount(doc, found, anchors);
	                if (data.count * data.aliasCount > maxAliasCount) {
	                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
	                    throw new ReferenceError(msg);
	                }
	            }
	        }
	        return found;
	    }
	    toJSON(_arg, ctx) {
	        if (!ctx)
	            return { source: this.source };
	        const source = this.resolve(ctx.doc, ctx);
	        if (!source) {
	            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
	            throw new ReferenceError(msg);
	        }
	        return ctx.anchors.get(source).res;
	    }
	    toString(ctx, _onComment, _onChompKeep) {
	        const src = `*${this.source}`;
	        if (ctx) {
	            anchors.anchorIsValid(this.source);
	            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
	                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
	                throw new Error(msg);
	            }
	            if (ctx.implicitKey)
	                return `${src} `;
	        }
	        return src;
	    }
	};
	function getAliasCount(doc, node, anchors) {
	    if (identity.isAlias(node)) {
	        const source = node.resolve(doc);
	        const anchor = anchors && source && anchors.get(source);
	        return anchor ? anchor.count * anchor.aliasCount : 0;
	    }
	    else if (identity.isCollection(node)) {
	        let count = 0;
	        for (const item of node.items) {
	            const c = getAliasCount(doc, item, anchors);
	            if (c > count)
	                count = c;
	        }
	        return count;
	    }
	    else if (identity.isPair(node)) {
	        const kc = getAliasCount(doc, node.key, anchors);
	        const vc = getAliasCount(doc, node.value, anchors);
	        return Math.max(kc, vc);
	    }
	    return 1;
	}

	Alias.Alias = Alias$1;
	return Alias;
}

var Collection = {};

var createNode = {};

var Scalar = {};

var hasRequiredScalar;

function requireScalar () {
	if (hasRequiredScalar) return Scalar;
	hasRequiredScalar = 1;

	var identity = requireIdentity();
	var Node = requireNode();
	var toJS = requireToJS();

	const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
	let Scalar$1 = class Scalar extends Node.NodeBase {
	    constructor(value) {
	        super(identity.SCALAR);
	        this.value = value;
	    }
	    toJSON(arg, ctx) {
	        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
	    }
	    toString() {
	        return String(this.value);
	    }
	};
	Scalar$1.BLOCK_FOLDED = 'BLOCK_FOLDED';
	Scalar$1.BLOCK_LITERAL = 'BLOCK_LITERAL';
	Scalar$1.PLAIN = 'PLAIN';
	Scalar$1.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
	Scalar$1.QUOTE_SINGLE = 'QUOTE_SINGLE';

	Scalar.Scalar = Scalar$1;
	Scalar.isScalarValue = isScalarValue;
	return Scalar;
}

var hasRequiredCreateNode;

function requireCreateNode () {
	if (hasRequiredCreateNode) return createNode;
	hasRequiredCreateNode = 1;

	var Alias = requireAlias();
	var identity = requireIdentity();
	var Scalar = requireScalar();

	const defaultTagPrefix = 'tag:yaml.org,2002:';
	function findTagObject(value, tagName, tags) {
	    if (tagName) {
	        const match = tags.filter(t => t.tag === tagName);
	        const tagObj = match.find(t => !t.format) ?? match[0];
	        if (!tagObj)
	            throw new Error(`Tag ${tagName} not found`);
	        return tagObj;
	    }
	    return tags.find(t => t.identify?.(value) && !t.format);
	}
	function createNode$1(value, tagName, ctx) {
	    if (identity.isDocument(value))
	        value = value.contents;
	    if (identity.isNode(value))
	        return value;
	    if (identity.isPair(value)) {
	        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
	        map.items.push(value);
	        return map;
	    }
	    if (value instanceof String ||
	        value instanceof Number ||
	        value instanceof Boolean ||
	        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
	    ) {
	        // https://tc39.es/ecma262/#sec-serializejsonproperty
	        value = value.valueOf();
	    }
	    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
	    // Detect duplicate references to the same object & use Alias nodes for all
	    // after first. The `ref` wrapper allows for circular references to resolve.
	    let ref = undefined;
	    if (aliasDuplicateObjects && value && typeof value === 'object') {
	        ref = sourceObjects.get(value);
	        if (ref) {
	            ref.anchor ?? (ref.anchor = onAnchor(value));
	            return new Alias.Alias(ref.anchor);
	        }
	        else {
	            ref = { anchor: null, node: null };
	            sourceObjects.set(value, ref);
	        }
	    }
	    if (tagName?.startsWith('!!'))
	        tagName = defaultTagPrefix + tagName.slice(2);
	    let tagObj = findTagObject(value, tagName, schema.tags);
	    if (!tagObj) {
	        if (value && typeof value.toJSON === 'function') {
	            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
	            value = value.toJSON();
	        }
	        if (!value || typeof value !== 'object') {
	            const node = new Scalar.Scalar(value);
	            if (ref)
	                ref.node = node;
	            return node;
	        }
	        tagObj =
	            value instanceof Map
	                ? schema[identity.MAP]
	                : Symbol.iterator in Object(value)
	                    ? schema[identity.SEQ]
	                    : schema[identity.MAP];
	    }
	    if (onTagObj) {
	        onTagObj(tagObj);
	        delete ctx.onTagObj;
	    }
	    const node = tagObj?.createNode
	        ? tagObj.createNode(ctx.schema, value, ctx)
	        : typeof tagObj?.nodeClass?.from === 'function'
	            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
	            : new Scalar.Scalar(value);
	    if (tagName)
	        node.tag = tagName;
	    else if (!tagObj.default)
	        node.tag = tagObj.tag;
	    if (ref)
	        ref.node = node;
	    return node;
	}

	createNode.createNode = createNode$1;
	return createNode;
}

var hasRequiredCollection;

function requireCollection () {
	if (hasRequiredCollection) return Collection;
	hasRequiredCollection = 1;

	var createNode = requireCreateNode();
	var identity = requireIdentity();
	var Node = requireNode();

	function collectionFromPath(schema, path, value) {
	    let v = value;
	    for (let i = path.length - 1; i >= 0; --i) {
	        const k = path[i];
	        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
	            const a = [];
	            a[k] = v;
	            v = a;
	        }
	        else {
	            v = new Map([[k, v]]);
	        }
	    }
	    return createNode.createNode(v, undefined, {
	        aliasDuplicateObjects: false,
	        keepUndefined: false,
	        onAnchor: () => {
	            throw new Error('This should not happen, please report a bug.');
	        },
	        schema,
	        sourceObjects: new Map()
	    });
	}
	// Type guard is intentionally a little wrong so as to be more useful,
	// as it does not cover untypable empty non-string iterables (e.g. []).
	const isEmptyPath = (path) => path == null ||
	    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
	let Collection$1 = class Collection extends Node.NodeBase {
	    constructor(type, schema) {
	        super(type);
	        Object.defineProperty(this, 'schema', {
	            value: schema,
	            configurable: true,
	            enumerable: false,
	            writable: true
	        });
	    }
	    /**
	     * Create a copy of this collection.
	     *
	     * @param schema - If defined, overwrites the original's schema
	     */
	    clone(schema) {
	        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
	        if (schema)
	            copy.schema = schema;
	        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
	        if (this.range)
	            copy.range = this.range.slice();
	        return copy;
	    }
	    /**
	     * Adds a value to the collection. For `!!map` and `!!omap` the value must
	     * be a Pair instance or a `{ key, value }` object, which may not have a key
	     * that already exists in the map.
	     */
	    addIn(path, value) {
	        if (isEmptyPath(path))
	            this.add(value);
	        else {
	            const [key, ...rest] = path;
	            const node = this.get(key, true);
	            if (identity.isCollection(node))
	                node.addIn(rest, value);
	            else if (node === undefined && this.schema)
	                this.set(key, collectionFromPath(this.schema, rest, value));
	            else
	                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
	        }
	    }
	    /**
	     * Removes a value from the collection.
	     * @returns `true` if the item was found and removed.
	     */
	    deleteIn(path) {
	        const [key, ...rest] = path;
	        if (rest.length === 0)
	            return this.delete(key);
	        const node = this.get(key, true);
	        if (identity.isCollection(node))
	            return node.deleteIn(rest);
	        else
	            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
	    }
	    /**
	     * Returns item at `key`, or `undefined` if not found. By default unwraps
	     * scalar values from their surrounding node; to disable set `keepScalar` to
	     * `true` (collections are always returned intact).
	     */
	    getIn(path, keepScalar) {
	        const [key, ...rest] = path;
	        const node = this.get(key, true);
	        if (rest.length === 0)
	            return !keepScalar && identity.isScalar(node) ? node.value : node;
	        else
	            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
	    }
	    hasAllNullValues(allowScalar) {
	        return this.items.every(node => {
	            if (!identity.isPair(node))
	                return false;
	            const n = node.value;
	            return (n == null ||
	                (allowScalar &&
	                    identity.isScalar(n) &&
	                    n.value == null &&
	                    !n.commentBefore &&
	                    !n.comment &&
	                    !n.tag));
	        });
	    }
	    /**
	     * Checks if the collection includes a value with the key `key`.
	     */
	    hasIn(path) {
	        const [key, ...rest] = path;
	        if (rest.length === 0)
	            return this.has(key);
	        const node = this.get(key, true);
	        return identity.isCollection(node) ? node.hasIn(rest) : false;
	    }
	    /**
	     * Sets a value in this collection. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     */
	    setIn(path, value) {
	        const [key, ...rest] = path;
	        if (rest.length === 0) {
	            this.set(key, value);
	        }
	        else {
	            const node = this.get(key, true);
	            if (identity.isCollection(node))
	                node.setIn(rest, value);
	            else if (node === undefined && this.schema)
	                this.set(key, collectionFromPath(this.schema, rest, value));
	            else
	                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
	        }
	    }
	};

	Collection.Collection = Collection$1;
	Collection.collectionFromPath = collectionFromPath;
	Collection.isEmptyPath = isEmptyPath;
	return Collection;
}

var Pair = {};

var stringifyPair = {};

var stringify = {};

var stringifyComment = {};

var hasRequiredStringifyComment;

function requireStringifyComment () {
	if (hasRequiredStringifyComment) return stringifyComment;
	hasRequiredStringifyComment = 1;

	/**
	 * Stringifies a comment.
	 *
	 * Empty comment lines are left empty,
	 * lines consisting of a single space are replaced by `#`,
	 * and all other lines are prefixed with a `#`.
	 */
	const stringifyComment$1 = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
	function indentComment(comment, indent) {
	    if (/^\n+$/.test(comment))
	        return comment.substring(1);
	    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
	}
	const lineComment = (str, indent, comment) => str.endsWith('\n')
	    ? indentComment(comment, indent)
	    : comment.includes('\n')
	        ? '\n' + indentComment(comment, indent)
	        : (str.endsWith(' ') ? '' : ' ') + comment;

	stringifyComment.indentComment = indentComment;
	stringifyComment.lineComment = lineComment;
	stringifyComment.stringifyComment = stringifyComment$1;
	return stringifyComment;
}

var stringifyString = {};

var foldFlowLines = {};

var hasRequiredFoldFlowLines;

function requireFoldFlowLines () {
	if (hasRequiredFoldFlowLines) return foldFlowLines;
	hasRequiredFoldFlowLines = 1;

	const FOLD_FLOW = 'flow';
	const FOLD_BLOCK = 'block';
	const FOLD_QUOTED = 'quoted';
	/**
	 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
	 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
	 * terminated with `\n` and started with `indent`.
	 */
	function foldFlowLines$1(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
	    if (!lineWidth || lineWidth < 0)
	        return text;
	    if (lineWidth < minContentWidth)
	        minContentWidth = 0;
	    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
	    if (text.length <= endStep)
	        return text;
	    const folds = [];
	    const escapedFolds = {};
	    let end = lineWidth - indent.length;
	    if (typeof indentAtStart === 'number') {
	        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
	            folds.push(0);
	        else
	            end = lineWidth - indentAtStart;
	    }
	    let split = undefined;
	    let prev = undefined;
	    let overflow = false;
	    let i = -1;
	    let escStart = -1;
	    let escEnd = -1;
	    if (mode === FOLD_BLOCK) {
	        i = consumeMoreIndentedLines(text, i, indent.length);
	        if (i !== -1)
	            end = i + endStep;
	    }
	    for (let ch; (ch = text[(i += 1)]);) {
	        if (mode === FOLD_QUOTED && ch === '\\') {
	            escStart = i;
	            switch (text[i + 1]) {
	                case 'x':
	                    i += 3;
	                    break;
	                case 'u':
	                    i += 5;
	                    break;
	                case 'U':
	                    i += 9;
	                    break;
	                default:
	                    i += 1;
	            }
	            escEnd = i;
	        }
	        if (ch === '\n') {
	            if (mode === FOLD_BLOCK)
	                i = consumeMoreIndentedLines(text, i, indent.length);
	            end = i + indent.length + endStep;
	            split = undefined;
	        }
	        else {
	            if (ch === ' ' &&
	                prev &&
	                prev !== ' ' &&
	                prev !== '\n' &&
	                prev !== '\t') {
	                // space surrounded by non-space can be replaced with newline + indent
	                const next = text[i + 1];
	                if (next && next !== ' ' && next !== '\n' && next !== '\t')
	                    split = i;
	            }
	            if (i >= end) {
	                if (split) {
	                    folds.push(split);
	                    end = split + endStep;
	                    split = undefined;
	                }
	                else if (mode === FOLD_QUOTED) {
	                    // white-space collected at end may stretch past lineWidth
	                    while (prev === ' ' || prev === '\t') {
	                        prev = ch;
	                        ch = text[(i += 1)];
	                        overflow = true;
	                    }
	                    // Account for newline escape, but don't break preceding escape
	                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
	                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
	                    if (escapedFolds[j])
	                        return text;
	                    folds.push(j);
	                    escapedFolds[j] = true;
	                    end = j + endStep;
	                    split = undefined;
	                }
	                else {
	                    overflow = true;
	                }
	            }
	        }
	        prev = ch;
	    }
	    if (overflow && onOverflow)
	        onOverflow();
	    if (folds.length === 0)
	        return text;
	    if (onFold)
	        onFold();
	    let res = text.slice(0, folds[0]);
	    for (let i = 0; i < folds.length; ++i) {
	        const fold = folds[i];
	        const end = folds[i + 1] || text.length;
	        if (fold === 0)
	            res = `\n${indent}${text.slice(0, end)}`;
	        else {
	            if (mode === FOLD_QUOTED && escapedFolds[fold])
	                res += `${text[fold]}\\`;
	            res += `\n${indent}${text.slice(fold + 1, end)}`;
	        }
	    }
	    return res;
	}
	/**
	 * Presumes `i + 1` is at the start of a line
	 * @returns index of last newline in more-indented block
	 */
	function consumeMoreIndentedLines(text, i, indent) {
	    let end = i;
	    let start = i + 1;
	    let ch = text[start];
	    while (ch === ' ' || ch === '\t') {
	        if (i < start + indent) {
	            ch = text[++i];
	        }
	        else {
	            do {
	                ch = text[++i];
	            } while (ch && ch !== '\n');
	            end = i;
	            start = i + 1;
	            ch = text[start];
	        }
	    }
	    return end;
	}

	foldFlowLines.FOLD_BLOCK = FOLD_BLOCK;
	foldFlowLines.FOLD_FLOW = FOLD_FLOW;
	foldFlowLines.FOLD_QUOTED = FOLD_QUOTED;
	foldFlowLines.foldFlowLines = foldFlowLines$1;
	return foldFlowLines;
}

var hasRequiredStringifyString;

function requireStringifyString () {
	if (hasRequiredStringifyString) return stringifyString;
	hasRequiredStringifyString = 1;

	var Scalar = requireScalar();
	var foldFlowLines = requireFoldFlowLines();

	const getFoldOptions = (ctx, isBlock) => ({
	    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
	    lineWidth: ctx.options.lineWidth,
	    minContentWidth: ctx.options.minContentWidth
	});
	// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
	// presume that's starting a new document.
	const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
	function lineLengthOverLimit(str, lineWidth, indentLength) {
	    if (!lineWidth || lineWidth < 0)
	        return false;
	    const limit = lineWidth - indentLength;
	    const strLen = str.length;
	    if (strLen <= limit)
	        return false;
	    for (let i = 0, start = 0; i < strLen; ++i) {
	        if (str[i] === '\n') {
	            if (i - start > limit)
	                return true;
	            start = i + 1;
	            if (strLen - start <= limit)
	                return false;
	        }
	    }
	    return true;
	}
	function doubleQuotedString(value, ctx) {
	    const json = JSON.stringify(value);
	    if (ctx.options.doubleQuotedAsJSON)
	        return json;
	    const { implicitKey } = ctx;
	    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
	    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
	    let str = '';
	    let start = 0;
	    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
	        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
	            // space before newline needs to be escaped to not be folded
	            str += json.slice(start, i) + '\\ ';
	            i += 1;
	            start = i;
	            ch = '\\';
	        }
	        if (ch === '\\')
	            switch (json[i + 1]) {
	                case 'u':
	                    {
	                        str += json.slice(start, i);
	                        const code = json.substr(i + 2, 4);
	                        switch (code) {
	                            case '0000':
	                                str += '\\0';
	                                break;
	                            case '0007':
	                                str += '\\a';
	                                break;
	                            case '000b':
	                                str += '\\v';
	                                break;
	                            case '001b':
	                                str += '\\e';
	                                break;
	                            case '0085':
	                                str += '\\N';
	                                break;
	                            case '00a0':
	                                str += '\\_';
	                                break;
	                            case '2028':
	                                str += '\\L';
	                                break;
	                            case '2029':
	                                str += '\\P';
	                                break;
	                            default:
	                                if (code.substr(0, 2) === '00')
	                                    str += '\\x' + code.substr(2);
	                                else
	                                    str += json.substr(i, 6);
	                        }
	                        i += 5;
	                        start = i + 1;
	                    }
	                    break;
	                case 'n':
	                    if (implicitKey ||
	                        json[i + 2] === '"' ||
	                        json.length < minMultiLineLength) {
	                        i += 1;
	                    }
	                    else {
	                        // folding will eat first newline
	                        str += json.slice(start, i) + '\n\n';
	                        while (json[i + 2] === '\\' &&
	                            json[i + 3] === 'n' &&
	                            json[i + 4] !== '"') {
	                            str += '\n';
	                            i += 2;
	                        }
	                        str += indent;
	                        // space after newline needs to be escaped to not be folded
	                        if (json[i + 2] === ' ')
	                            str += '\\';
	                        i += 1;
	                        start = i + 1;
	                    }
	                    break;
	                default:
	                    i += 1;
	            }
	    }
	    str = start ? str + json.slice(start) : json;
	    return implicitKey
	        ? str
	        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
	}
	function singleQuotedString(value, ctx) {
	    if (ctx.options.singleQuote === false ||
	        (ctx.implicitKey && value.includes('\n')) ||
	        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
	    )
	        return doubleQuotedString(value, ctx);
	    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
	    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
	    return ctx.implicitKey
	        ? res
	        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
	}
	function quotedString(value, ctx) {
	    const { singleQuote } = ctx.options;
	    let qs;
	    if (singleQuote === false)
	        qs = doubleQuotedString;
	    else {
	        const hasDouble = value.includes('"');
	        const hasSingle = value.includes("'");
	        if (hasDouble && !hasSingle)
	            qs = singleQuotedString;
	        else if (hasSingle && !hasDouble)
	            qs = doubleQuotedString;
	        else
	            qs = singleQuote ? singleQuotedString : doubleQuotedString;
	    }
	    return qs(value, ctx);
	}
	// The negative lookbehind avoids a polynomial search,
	// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
	let blockEndNewlines;
	try {
	    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
	}
	catch {
	    blockEndNewlines = /\n+(?!\n|$)/g;
	}
	function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
	    const { blockQuote, commentString, lineWidth } = ctx.options;
	    // 1. Block can't end in whitespace unless the last line is non-empty.
	    // 2. Strings consisting of only whitespace are best rendered explicitly.
	    if (!blockQuote || /\n[\t ]+$/.test(value)) {
	        return quotedString(value, ctx);
	    }
	    const indent = ctx.indent ||
	        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
	    const literal = blockQuote === 'literal'
	        ? true
	        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
	            ? false
	            : type === Scalar.Scalar.BLOCK_LITERAL
	                ? true
	                : !lineLengthOverLimit(value, lineWidth, indent.length);
	    if (!value)
	        return literal ? '|\n' : '>\n';
	    // determine chomping from whitespace at value end
	    let chomp;
	    let endStart;
	    for (endStart = value.length; endStart > 0; --endStart) {
	        const ch = value[endStart - 1];
	        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
	            break;
	    }
	    let end = value.substring(endStart);
	    const endNlPos = end.indexOf('\n');
	    if (endNlPos === -1) {
	        chomp = '-'; // strip
	    }
	    else if (value === end || endNlPos !== end.length - 1) {
	        chomp = '+'; // keep
	        if (onChompKeep)
	            onChompKeep();
	    }
	    else {
	        chomp = ''; // clip
	    }
	    if (end) {
	        value = value.slice(0, -end.length);
	        if (end[end.length - 1] === '\n')
	            end = end.slice(0, -1);
	        end = end.replace(blockEndNewlines, `$&${indent}`);
	    }
	    // determine indent indicator from whitespace at value start
	    let startWithSpace = false;
	    let startEnd;
	    let startNlPos = -1;
	    for (startEnd = 0; startEnd < value.length; ++startEnd) {
	        const ch = value[startEnd];
	        if (ch === ' ')
	            startWithSpace = true;
	        else if (ch === '\n')
	            startNlPos = startEnd;
	        else
	            break;
	    }
	    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
	    if (start) {
	        value = value.substring(start.length);
	        start = start.replace(/\n+/g, `$&${indent}`);
	    }
	    const indentSize = indent ? '2' : '1'; // root is at -1
	    // Leading | or > is added later
	    let header = (startWithSpace ? indentSize : '') + chomp;
	    if (comment) {
	        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
	        if (onComment)
	            onComment();
	    }
	    if (!literal) {
	        const foldedValue = value
	            .replace(/\n+/g, '\n$&')
	            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
	            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
	            .replace(/\n+/g, `$&${indent}`);
	        let literalFallback = false;
	        const foldOptions = getFoldOptions(ctx, true);
	        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
	            foldOptions.onOverflow = () => {
	                literalFallback = true;
	            };
	        }
	        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
	        if (!literalFallback)
	            return `>${header}\n${indent}${body}`;
	    }
	    value = value.replace(/\n+/g, `$&${indent}`);
	    return `|${header}\n${indent}${start}${value}${end}`;
	}
	function plainString(item, ctx, onComment, onChompKeep) {
	    const { type, value } = item;
	    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
	    if ((implicitKey && value.includes('\n')) ||
	        (inFlow && /[[\]{},]/.test(value))) {
	        return quotedString(value, ctx);
	    }
	    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
	        // not allowed:
	        // - '-' or '?'
	        // - start with an indicator character (except [?:-]) or /[?-] /
	        // - '\n ', ': ' or ' \n' anywhere
	        // - '#' not preceded by a non-space char
	        // - end with ' ' or ':'
	        return implicitKey || inFlow || !value.includes('\n')
	            ? quotedString(value, ctx)
	            : blockString(item, ctx, onComment, onChompKeep);
	    }
	    if (!implicitKey &&
	        !inFlow &&
	        type !== Scalar.Scalar.PLAIN &&
	        value.includes('\n')) {
	        // Where allowed & type not set explicitly, prefer block style for multiline strings
	        return blockString(item, ctx, onComment, onChompKeep);
	    }
	    if (containsDocumentMarker(value)) {
	        if (indent === '') {
	            ctx.forceBlockIndent = true;
	            return blockString(item, ctx, onComment, onChompKeep);
	        }
	        else if (implicitKey && indent === indentStep) {
	            return quotedString(value, ctx);
	        }
	    }
	    const str = value.replace(/\n+/g, `$&\n${indent}`);
	    // Verify that output will be parsed as a string, as e.g. plain numbers and
	    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
	    // and others in v1.1.
	    if (actualString) {
	        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
	        const { compat, tags } = ctx.doc.schema;
	        if (tags.some(test) || compat?.some(test))
	            return quotedString(value, ctx);
	    }
	    return implicitKey
	        ? str
	        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
	}
	function stringifyString$1(item, ctx, onComment, onChompKeep) {
	    const { implicitKey, inFlow } = ctx;
	    const ss = typeof item.value === 'string'
	        ? item
	        : Object.assign({}, item, { value: String(item.value) });
	    let { type } = item;
	    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
	        // force double quotes on control characters & unpaired surrogates
	        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
	            type = Scalar.Scalar.QUOTE_DOUBLE;
	    }
	    const _stringify = (_type) => {
	        switch (_type) {
	            case Scalar.Scalar.BLOCK_FOLDED:
	            case Scalar.Scalar.BLOCK_LITERAL:
	                return implicitKey || inFlow
	                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
	                    : blockString(ss, ctx, onComment, onChompKeep);
	            case Scalar.Scalar.QUOTE_DOUBLE:
	                return doubleQuotedString(ss.value, ctx);
	            case Scalar.Scalar.QUOTE_SINGLE:
	                return singleQuotedString(ss.value, ctx);
	            case Scalar.Scalar.PLAIN:
	                return plainString(ss, ctx, onComment, onChompKeep);
	            default:
	                return null;
	        }
	    };
	    let res = _stringify(type);
	    if (res === null) {
	        const { defaultKeyType, defaultStringType } = ctx.options;
	        const t = (implicitKey && defaultKeyType) || defaultStringType;
	        res = _stringify(t);
	        if (res === null)
	            throw new Error(`Unsupported default string type ${t}`);
	    }
	    return res;
	}

	stringifyString.stringifyString = stringifyString$1;
	return stringifyString;
}

var hasRequiredStringify;

function requireStringify () {
	if (hasRequiredStringify) return stringify;
	hasRequiredStringify = 1;

	var anchors = requireAnchors();
	var identity = requireIdentity();
	var stringifyComment = requireStringifyComment();
	var stringifyString = requireStringifyString();

	function createStringifyContext(doc, options) {
	    const opt = Object.assign({
	        blockQuote: true,
	        commentString: stringifyComment.stringifyComment,
	        defaultKeyType: null,
	        defaultStringType: 'PLAIN',
	        directives: null,
	        doubleQuotedAsJSON: false,
	        doubleQuotedMinMultiLineLength: 40,
	        falseStr: 'false',
	        flowCollectionPadding: true,
	        indentSeq: true,
	        lineWidth: 80,
	        minContentWidth: 20,
	        nullStr: 'null',
	        simpleKeys: false,
	        singleQuote: null,
	        trailingComma: false,
	        trueStr: 'true',
	        verifyAliasOrder: true
	    }, doc.schema.toStringOptions, options);
	    let inFlow;
	    switch (opt.collectionStyle) {
	        case 'block':
	            inFlow = false;
	            break;
	        case 'flow':
	            inFlow = true;
	            break;
	        default:
	            inFlow = null;
	    }
	    return {
	        anchors: new Set(),
	        doc,
	        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
	        indent: '',
	        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
	        inFlow,
	        options: opt
	    };
	}
	function getTagObject(tags, item) {
	    if (item.tag) {
	        const match = tags.filter(t => t.tag === item.tag);
	        if (match.length > 0)
	            return match.find(t => t.format === item.format) ?? match[0];
	    }
	    let tagObj = undefined;
	    let obj;
	    if (identity.isScalar(item)) {
	        obj = item.value;
	        let match = tags.filter(t => t.identify?.(obj));
	        if (match.length > 1) {
	            const testMatch = match.filter(t => t.test);
	            if (testMatch.length > 0)
	                match = testMatch;
	        }
	        tagObj =
	            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
	    }
	    else {
	        obj = item;
	        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
	    }
	    if (!tagObj) {
	        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
	        throw new Error(`Tag not resolved for ${name} value`);
	    }
	    return tagObj;
	}
	// needs to be called before value stringifier to allow for circular anchor refs
	function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
	    if (!doc.directives)
	        return '';
	    const props = [];
	    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
	    if (anchor && anchors.anchorIsValid(anchor)) {
	        anchors$1.add(anchor);
	        props.push(`&${anchor}`);
	    }
	    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
	    if (tag)
	        props.push(doc.directives.tagString(tag));
	    return props.join(' ');
	}
	function stringify$1(item, ctx, onComment, onChompKeep) {
	    if (identity.isPair(item))
	        return item.toString(ctx, onComment, onChompKeep);
	    if (identity.isAlias(item)) {
	        if (ctx.doc.directives)
	            return item.toString(ctx);
	        if (ctx.resolvedAliases?.has(item)) {
	            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
	        }
	        else {
	            if (ctx.resolvedAliases)
	                ctx.resolvedAliases.add(item);
	            else
	                ctx.resolvedAliases = new Set([item]);
	            item = item.resolve(ctx.doc);
	        }
	    }
	    let tagObj = undefined;
	    const node = identity.isNode(item)
	        ? item
	        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
	    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
	    const props = stringifyProps(node, tagObj, ctx);
	    if (props.length > 0)
	        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
	    const str = typeof tagObj.stringify === 'function'
	        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
	        : identity.isScalar(node)
	            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
	            : node.toString(ctx, onComment, onChompKeep);
	    if (!props)
	        return str;
	    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
	        ? `${props} ${str}`
	        : `${props}\n${ctx.indent}${str}`;
	}

	stringify.createStringifyContext = createStringifyContext;
	stringify.stringify = stringify$1;
	return stringify;
}

var hasRequiredStringifyPair;

function requireStringifyPair () {
	if (hasRequiredStringifyPair) return stringifyPair;
	hasRequiredStringifyPair = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();
	var stringify = requireStringify();
	var stringifyComment = requireStringifyComment();

	function stringifyPair$1({ key, value }, ctx, onComment, onChompKeep) {
	    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
	    let keyComment = (identity.isNode(key) && key.comment) || null;
	    if (simpleKeys) {
	        if (keyComment) {
	            throw new Error('With simple keys, key nodes cannot have comments');
	        }
	        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
	            const msg = 'With simple keys, collection cannot be used as a key value';
	            throw new Error(msg);
	        }
	    }
	    let explicitKey = !simpleKeys &&
	        (!key ||
	            (keyComment && value == null && !ctx.inFlow) ||
	            identity.isCollection(key) ||
	            (identity.isScalar(key)
	                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
	                : typeof key === 'object'));
	    ctx = Object.assign({}, ctx, {
	        allNullValues: false,
	        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
	        indent: indent + indentStep
	    });
	    let keyCommentDone = false;
	    let chompKeep = false;
	    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
	    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
	        if (simpleKeys)
	            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
	        explicitKey = true;
	    }
	    if (ctx.inFlow) {
	        if (allNullValues || value == null) {
	            if (keyCommentDone && onComment)
	                onComment();
	            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
	        }
	    }
	    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
	        str = `? ${str}`;
	        if (keyComment && !keyCommentDone) {
	            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
	        }
	        else if (chompKeep && onChompKeep)
	            onChompKeep();
	        return str;
	    }
	    if (keyCommentDone)
	        keyComment = null;
	    if (explicitKey) {
	        if (keyComment)
	            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
	        str = `? ${str}\n${indent}:`;
	    }
	    else {
	        str = `${str}:`;
	        if (keyComment)
	            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
	    }
	    let vsb, vcb, valueComment;
	    if (identity.isNode(value)) {
	        vsb = !!value.spaceBefore;
	        vcb = value.commentBefore;
	        valueComment = value.comment;
	    }
	    else {
	        vsb = false;
	        vcb = null;
	        valueComment = null;
	        if (value && typeof value === 'object')
	            value = doc.createNode(value);
	    }
	    ctx.implicitKey = false;
	    if (!explicitKey && !keyComment && identity.isScalar(value))
	        ctx.indentAtStart = str.length + 1;
	    chompKeep = false;
	    if (!indentSeq &&
	        indentStep.length >= 2 &&
	        !ctx.inFlow &&
	        !explicitKey &&
	        identity.isSeq(value) &&
	        !value.flow &&
	        !value.tag &&
	        !value.anchor) {
	        // If indentSeq === false, consider '- ' as part of indentation where possible
	        ctx.indent = ctx.indent.substring(2);
	    }
	    let valueCommentDone = false;
	    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
	    let ws = ' ';
	    if (keyComment || vsb || vcb) {
	        ws = vsb ? '\n' : '';
	        if (vcb) {
	            const cs = commentString(vcb);
	            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
	        }
	        if (valueStr === '' && !ctx.inFlow) {
	            if (ws === '\n' && valueComment)
	                ws = '\n\n';
	        }
	        else {
	            ws += `\n${ctx.indent}`;
	        }
	    }
	    else if (!explicitKey && identity.isCollection(value)) {
	        const vs0 = valueStr[0];
	        const nl0 = valueStr.indexOf('\n');
	        const hasNewline = nl0 !== -1;
	        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
	        if (hasNewline || !flow) {
	            let hasPropsLine = false;
	            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
	                let sp0 = valueStr.indexOf(' ');
	                if (vs0 === '&' &&
	                    sp0 !== -1 &&
	                    sp0 < nl0 &&
	                    valueStr[sp0 + 1] === '!') {
	                    sp0 = valueStr.indexOf(' ', sp0 + 1);
	                }
	                if (sp0 === -1 || nl0 < sp0)
	                    hasPropsLine = true;
	            }
	            if (!hasPropsLine)
	                ws = `\n${ctx.indent}`;
	        }
	    }
	    else if (valueStr === '' || valueStr[0] === '\n') {
	        ws = '';
	    }
	    str += ws + valueStr;
	    if (ctx.inFlow) {
	        if (valueCommentDone && onComment)
	            onComment();
	    }
	    else if (valueComment && !valueCommentDone) {
	        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
	    }
	    else if (chompKeep && onChompKeep) {
	        onChompKeep();
	    }
	    return str;
	}

	stringifyPair.stringifyPair = stringifyPair$1;
	return stringifyPair;
}

var addPairToJSMap = {};

var log$1 = {};

var hasRequiredLog;

function requireLog () {
	if (hasRequiredLog) return log$1;
	hasRequiredLog = 1;

	var node_process = require$$0$1;

	function debug(logLevel, ...messages) {
	    if (logLevel === 'debug')
	        console.log(...messages);
	}
	function warn(logLevel, warning) {
	    if (logLevel === 'debug' || logLevel === 'warn') {
	        if (typeof node_process.emitWarning === 'function')
	            node_process.emitWarning(warning);
	        else
	            console.warn(warning);
	    }
	}

	log$1.debug = debug;
	log$1.warn = warn;
	return log$1;
}

var merge = {};

var hasRequiredMerge;

function requireMerge () {
	if (hasRequiredMerge) return merge;
	hasRequiredMerge = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();

	// If the value associated with a merge key is a single mapping node, each of
	// its key/value pairs is inserted into the current mapping, unless the key
	// already exists in it. If the value associated with the merge key is a
	// sequence, then this sequence is expected to contain mapping nodes and each
	// of these nodes is merged in turn according to its order in the sequence.
	// Keys in mapping nodes earlier in the sequence override keys specified in
	// later mapping nodes. -- http://yaml.org/type/merge.html
	const MERGE_KEY = '<<';
	const merge$1 = {
	    identify: value => value === MERGE_KEY ||
	        (typeof value === 'symbol' && value.description === MERGE_KEY),
	    default: 'key',
	    tag: 'tag:yaml.org,2002:merge',
	    test: /^<<$/,
	    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
	        addToJSMap: addMergeToJSMap
	    }),
	    stringify: () => MERGE_KEY
	};
	const isMergeKey = (ctx, key) => (merge$1.identify(key) ||
	    (identity.isScalar(key) &&
	        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
	        merge$1.identify(key.value))) &&
	    ctx?.doc.schema.tags.some(tag => tag.tag === merge$1.tag && tag.default);
	function addMergeToJSMap(ctx, map, value) {
	    const source = resolveAliasValue(ctx, value);
	    if (identity.isSeq(source))
	        for (const it of source.items)
	            mergeValue(ctx, map, it);
	    else if (Array.isArray(source))
	        for (const it of source)
	            mergeValue(ctx, map, it);
	    else
	        mergeValue(ctx, map, source);
	}
	function mergeValue(ctx, map, value) {
	    const source = resolveAliasValue(ctx, value);
	    if (!identity.isMap(source))
	        throw new Error('Merge sources must be maps or map aliases');
	    const srcMap = source.toJSON(null, ctx, Map);
	    for (const [key, value] of srcMap) {
	        if (map instanceof Map) {
	            if (!map.has(key))
	                map.set(key, value);
	        }
	        else if (map instanceof Set) {
	            map.add(key);
	        }
	        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
	            Object.defineProperty(map, key, {
	                value,
	                writable: true,
	                enumerable: true,
	                configurable: true
	            });
	        }
	    }
	    return map;
	}
	function resolveAliasValue(ctx, value) {
	    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
	}

	merge.addMergeToJSMap = addMergeToJSMap;
	merge.isMergeKey = isMergeKey;
	merge.merge = merge$1;
	return merge;
}

var hasRequiredAddPairToJSMap;

function requireAddPairToJSMap () {
	if (hasRequiredAddPairToJSMap) return addPairToJSMap;
	hasRequiredAddPairToJSMap = 1;

	var log = requireLog();
	var merge = requireMerge();
	var stringify = requireStringify();
	var identity = requireIdentity();
	var toJS = requireToJS();

	function addPairToJSMap$1(ctx, map, { key, value }) {
	    if (identity.isNode(key) && key.addToJSMap)
	        key.addToJSMap(ctx, map, value);
	    // TODO: Should drop this special case for bare << handling
	    else if (merge.isMergeKey(ctx, key))
	        merge.addMergeToJSMap(ctx, map, value);
	    else {
	        const jsKey = toJS.toJS(key, '', ctx);
	        if (map instanceof Map) {
	            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
	        }
	        else if (map instanceof Set) {
	            map.add(jsKey);
	        }
	        else {
	            const stringKey = stringifyKey(key, jsKey, ctx);
	            const jsValue = toJS.toJS(value, stringKey, ctx);
	            if (stringKey in map)
	                Object.defineProperty(map, stringKey, {
	                    value: jsValue,
	                    writable: true,
	                    enumerable: true,
	                    configurable: true
	                });
	            else
	                map[stringKey] = jsValue;
	        }
	    }
	    return map;
	}
	function stringifyKey(key, jsKey, ctx) {
	    if (jsKey === null)
	        return '';
	    // eslint-disable-next-line @typescript-eslint/no-base-to-string
	    if (typeof jsKey !== 'object')
	        return String(jsKey);
	    if (identity.isNode(key) && ctx?.doc) {
	        const strCtx = stringify.createStringifyContext(ctx.doc, {});
	        strCtx.anchors = new Set();
	        for (const node of ctx.anchors.keys())
	            strCtx.anchors.add(node.anchor);
	        strCtx.inFlow = true;
	        strCtx.inStringifyKey = true;
	        const strKey = key.toString(strCtx);
	        if (!ctx.mapKeyWarned) {
	            let jsonStr = JSON.stringify(strKey);
	            if (jsonStr.length > 40)
	                jsonStr = jsonStr.substring(0, 36) + '..."';
	            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
	            ctx.mapKeyWarned = true;
	        }
	        return strKey;
	    }
	    return JSON.stringify(jsKey);
	}

	addPairToJSMap.addPairToJSMap = addPairToJSMap$1;
	return addPairToJSMap;
}

var hasRequiredPair;

function requirePair () {
	if (hasRequiredPair) return Pair;
	hasRequiredPair = 1;

	var createNode = requireCreateNode();
	var stringifyPair = requireStringifyPair();
	var addPairToJSMap = requireAddPairToJSMap();
	var identity = requireIdentity();

	function createPair(key, value, ctx) {
	    const k = createNode.createNode(key, undefined, ctx);
	    const v = createNode.createNode(value, undefined, ctx);
	    return new Pair$1(k, v);
	}
	let Pair$1 = class Pair {
	    constructor(key, value = null) {
	        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
	        this.key = key;
	        this.value = value;
	    }
	    clone(schema) {
	        let { key, value } = this;
	        if (identity.isNode(key))
	            key = key.clone(schema);
	        if (identity.isNode(value))
	            value = value.clone(schema);
	        return new Pair(key, value);
	    }
	    toJSON(_, ctx) {
	        const pair = ctx?.mapAsMap ? new Map() : {};
	        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
	    }
	    toString(ctx, onComment, onChompKeep) {
	        return ctx?.doc
	            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
	            : JSON.stringify(this);
	    }
	};

	Pair.Pair = Pair$1;
	Pair.createPair = createPair;
	return Pair;
}

var Schema = {};

var map = {};

var YAMLMap = {};

var stringifyCollection = {};

var hasRequiredStringifyCollection;

function requireStringifyCollection () {
	if (hasRequiredStringifyCollection) return stringifyCollection;
	hasRequiredStringifyCollection = 1;

	var identity = requireIdentity();
	var stringify = requireStringify();
	var stringifyComment = requireStringifyComment();

	function stringifyCollection$1(collection, ctx, options) {
	    const flow = ctx.inFlow ?? collection.flow;
	    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
	    return stringify(collection, ctx, options);
	}
	function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
	    const { indent, options: { commentString } } = ctx;
	    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
	    let chompKeep = false; // flag for the preceding node's status
	    const lines = [];
	    for (let i = 0; i < items.length; ++i) {
	        const item = items[i];
	        let comment = null;
	        if (identity.isNode(item)) {
	            if (!chompKeep && item.spaceBefore)
	                lines.push('');
	            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
	            if (item.comment)
	                comment = item.comment;
	        }
	        else if (identity.isPair(item)) {
	            const ik = identity.isNode(item.key) ? item.key : null;
	            if (ik) {
	                if (!chompKeep && ik.spaceBefore)
	                    lines.push('');
	                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
	            }
	        }
	        chompKeep = false;
	        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
	        if (comment)
	            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
	        if (chompKeep && comment)
	            chompKeep = false;
	        lines.push(blockItemPrefix + str);
	    }
	    let str;
	    if (lines.length === 0) {
	        str = flowChars.start + flowChars.end;
	    }
	    else {
	        str = lines[0];
	        for (let i = 1; i < lines.length; ++i) {
	            const line = lines[i];
	            str += line ? `\n${indent}${line}` : '\n';
	        }
	    }
	    if (comment) {
	        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
	        if (onComment)
	            onComment();
	    }
	    else if (chompKeep && onChompKeep)
	        onChompKeep();
	    return str;
	}
	function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
	    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
	    itemIndent += indentStep;
	    const itemCtx = Object.assign({}, ctx, {
	        indent: itemIndent,
	        inFlow: true,
	        type: null
	    });
	    let reqNewline = false;
	    let linesAtValue = 0;
	    const lines = [];
	    for (let i = 0; i < items.length; ++i) {
	        const item = items[i];
	        let comment = null;
	        if (identity.isNode(item)) {
	            if (item.spaceBefore)
	                lines.push('');
	            addCommentBefore(ctx, lines, item.commentBefore, false);
	            if (item.comment)
	                comment = item.comment;
	        }
	        else if (identity.isPair(item)) {
	            const ik = identity.isNode(item.key) ? item.key : null;
	            if (ik) {
	                if (ik.spaceBefore)
	                    lines.push('');
	                addCommentBefore(ctx, lines, ik.commentBefore, false);
	                if (ik.comment)
	                    reqNewline = true;
	            }
	            const iv = identity.isNode(item.value) ? item.value : null;
	            if (iv) {
	                if (iv.comment)
	                    comment = iv.comment;
	                if (iv.commentBefore)
	                    reqNewline = true;
	            }
	            else if (item.value == null && ik?.comment) {
	                comment = ik.comment;
	            }
	        }
	        if (comment)
	            reqNewline = true;
	        let str = stringify.stringify(item, itemCtx, () => (comment = null));
	        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
	        if (i < items.length - 1) {
	            str += ',';
	        }
	        else if (ctx.options.trailingComma) {
	            if (ctx.options.lineWidth > 0) {
	                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
	                    (str.length + 2) >
	                    ctx.options.lineWidth);
	            }
	            if (reqNewline) {
	                str += ',';
	            }
	        }
	        if (comment)
	            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
	        lines.push(str);
	        linesAtValue = lines.length;
	    }
	    const { start, end } = flowChars;
	    if (lines.length === 0) {
	        return start + end;
	    }
	    else {
	        if (!reqNewline) {
	            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
	            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
	        }
	        if (reqNewline) {
	            let str = start;
	            for (const line of lines)
	                str += line ? `\n${indentStep}${indent}${line}` : '\n';
	            return `${str}\n${indent}${end}`;
	        }
	        else {
	            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
	        }
	    }
	}
	function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
	    if (comment && chompKeep)
	        comment = comment.replace(/^\n+/, '');
	    if (comment) {
	        const ic = stringifyComment.indentComment(commentString(comment), indent);
	        lines.push(ic.trimStart()); // Avoid double indent on first line
	    }
	}

	stringifyCollection.stringifyCollection = stringifyCollection$1;
	return stringifyCollection;
}

var hasRequiredYAMLMap;

function requireYAMLMap () {
	if (hasRequiredYAMLMap) return YAMLMap;
	hasRequiredYAMLMap = 1;

	var stringifyCollection = requireStringifyCollection();
	var addPairToJSMap = requireAddPairToJSMap();
	var Collection = requireCollection();
	var identity = requireIdentity();
	var Pair = requirePair();
	var Scalar = requireScalar();

	function findPair(items, key) {
	    const k = identity.isScalar(key) ? key.value : key;
	    for (const it of items) {
	        if (identity.isPair(it)) {
	            if (it.key === key || it.key === k)
	                return it;
	            if (identity.isScalar(it.key) && it.key.value === k)
	                return it;
	        }
	    }
	    return undefined;
	}
	let YAMLMap$1 = class YAMLMap extends Collection.Collection {
	    static get tagName() {
	        return 'tag:yaml.org,2002:map';
	    }
	    constructor(schema) {
	        super(identity.MAP, schema);
	        this.items = [];
	    }
	    /**
	     * A generic collection parsing method that can be extended
	     * to other node classes that inherit from YAMLMap
	     */
	    static from(schema, obj, ctx) {
	        const { keepUndefined, replacer } = ctx;
	        const map = new this(schema);
	        const add = (key, value) => {
	            if (typeof replacer === 'function')
	                value = replacer.call(obj, key, value);
	            else if (Array.isArray(replacer) && !replacer.includes(key))
	                return;
	            if (value !== undefined || keepUndefined)
	                map.items.push(Pair.createPair(key, value, ctx));
	        };
	        if (obj instanceof Map) {
	            for (const [key, value] of obj)
	                add(key, value);
	        }
	        else if (obj && typeof obj === 'object') {
	            for (const key of Object.keys(obj))
	                add(key, obj[key]);
	        }
	        if (typeof schema.sortMapEntries === 'function') {
	            map.items.sort(schema.sortMapEntries);
	        }
	        return map;
	    }
	    /**
	     * Adds a value to the collection.
	     *
	     * @param overwrite - If not set `true`, using a key that is already in the
	     *   collection will throw. Otherwise, overwrites the previous value.
	     */
	    add(pair, overwrite) {
	        let _pair;
	        if (identity.isPair(pair))
	            _pair = pair;
	        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
	            // In TypeScript, this never happens.
	            _pair = new Pair.Pair(pair, pair?.value);
	        }
	        else
	            _pair = new Pair.Pair(pair.key, pair.value);
	        const prev = findPair(this.items, _pair.key);
	        const sortEntries = this.schema?.sortMapEntries;
	        if (prev) {
	            if (!overwrite)
	                throw new Error(`Key ${_pair.key} already set`);
	            // For scalars, keep the old node & its comments and anchors
	            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
	                prev.value.value = _pair.value;
	            else
	                prev.value = _pair.value;
	        }
	        else if (sortEntries) {
	            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
	            if (i === -1)
	                this.items.push(_pair);
	            else
	                this.items.splice(i, 0, _pair);
	        }
	        else {
	            this.items.push(_pair);
	        }
	    }
	    delete(key) {
	        const it = findPair(this.items, key);
	        if (!it)
	            return false;
	        const del = this.items.splice(this.items.indexOf(it), 1);
	        return del.length > 0;
	    }
	    get(key, keepScalar) {
	        const it = findPair(this.items, key);
	        const node = it?.value;
	        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
	    }
	    has(key) {
	        return !!findPair(this.items, key);
	    }
	    set(key, value) {
	        this.add(new Pair.Pair(key, value), true);
	    }
	    /**
	     * @param ctx - Conversion context, originally set in Document#toJS()
	     * @param {Class} Type - If set, forces the returned collection type
	     * @returns Instance of Type, Map, or Object
	     */
	    toJSON(_, ctx, Type) {
	        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
	        if (ctx?.onCreate)
	            ctx.onCreate(map);
	        for (const item of this.items)
	            addPairToJSMap.addPairToJSMap(ctx, map, item);
	        return map;
	    }
	    toString(ctx, onComment, onChompKeep) {
	        if (!ctx)
	            return JSON.stringify(this);
	        for (const item of this.items) {
	            if (!identity.isPair(item))
	                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
	        }
	        if (!ctx.allNullValues && this.hasAllNullValues(false))
	            ctx = Object.assign({}, ctx, { allNullValues: true });
	        return stringifyCollection.stringifyCollection(this, ctx, {
	            blockItemPrefix: '',
	            flowChars: { start: '{', end: '}' },
	            itemIndent: ctx.indent || '',
	            onChompKeep,
	            onComment
	        });
	    }
	};

	YAMLMap.YAMLMap = YAMLMap$1;
	YAMLMap.findPair = findPair;
	return YAMLMap;
}

var hasRequiredMap;

function requireMap () {
	if (hasRequiredMap) return map;
	hasRequiredMap = 1;

	var identity = requireIdentity();
	var YAMLMap = requireYAMLMap();

	const map$1 = {
	    collection: 'map',
	    default: true,
	    nodeClass: YAMLMap.YAMLMap,
	    tag: 'tag:yaml.org,2002:map',
	    resolve(map, onError) {
	        if (!identity.isMap(map))
	            onError('Expected a mapping for this tag');
	        return map;
	    },
	    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
	};

	map.map = map$1;
	return map;
}

var seq = {};

var YAMLSeq = {};

var hasRequiredYAMLSeq;

function requireYAMLSeq () {
	if (hasRequiredYAMLSeq) return YAMLSeq;
	hasRequiredYAMLSeq = 1;

	var createNode = requireCreateNode();
	var stringifyCollection = requireStringifyCollection();
	var Collection = requireCollection();
	var identity = requireIdentity();
	var Scalar = requireScalar();
	var toJS = requireToJS();

	let YAMLSeq$1 = class YAMLSeq extends Collection.Collection {
	    static get tagName() {
	        return 'tag:yaml.org,2002:seq';
	    }
	    constructor(schema) {
	        super(identity.SEQ, schema);
	        this.items = [];
	    }
	    add(value) {
	        this.items.push(value);
	    }
	    /**
	     * Removes a value from the collection.
	     *
	     * `key` must contain a representation of an integer for this to succeed.
	     * It may be wrapped in a `Scalar`.
	     *
	     * @returns `true` if the item was found and removed.
	     */
	    delete(key) {
	        const idx = asItemIndex(key);
	        if (typeof idx !== 'number')
	            return false;
	        const del = this.items.splice(idx, 1);
	        return del.length > 0;
	    }
	    get(key, keepScalar) {
	        const idx = asItemIndex(key);
	        if (typeof idx !== 'number')
	            return undefined;
	        const it = this.items[idx];
	        return !keepScalar && identity.isScalar(it) ? it.value : it;
	    }
	    /**
	     * Checks if the collection includes a value with the key `key`.
	     *
	     * `key` must contain a representation of an integer for this to succeed.
	     * It may be wrapped in a `Scalar`.
	     */
	    has(key) {
	        const idx = asItemIndex(key);
	        return typeof idx === 'number' && idx < this.items.length;
	    }
	    /**
	     * Sets a value in this collection. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     *
	     * If `key` does not contain a representation of an integer, this will throw.
	     * It may be wrapped in a `Scalar`.
	     */
	    set(key, value) {
	        const idx = asItemIndex(key);
	        if (typeof idx !== 'number')
	            throw new Error(`Expected a valid index, not ${key}.`);
	        const prev = this.items[idx];
	        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
	            prev.value = value;
	        else
	            this.items[idx] = value;
	    }
	    toJSON(_, ctx) {
	        const seq = [];
	        if (ctx?.onCreate)
	            ctx.onCreate(seq);
	        let i = 0;
	        for (const item of this.items)
	            seq.push(toJS.toJS(item, String(i++), ctx));
	        return seq;
	    }
	    toString(ctx, onComment, onChompKeep) {
	        if (!ctx)
	            return JSON.stringify(this);
	        return stringifyCollection.stringifyCollection(this, ctx, {
	            blockItemPrefix: '- ',
	            flowChars: { start: '[', end: ']' },
	            itemIndent: (ctx.indent || '') + '  ',
	            onChompKeep,
	            onComment
	        });
	    }
	    static from(schema, obj, ctx) {
	        const { replacer } = ctx;
	        const seq = new this(schema);
	        if (obj && Symbol.iterator in Object(obj)) {
	            let i = 0;
	            for (let it of obj) {
	                if (typeof replacer === 'function') {
	                    const key = obj instanceof Set ? it : String(i++);
	                    it = replacer.call(obj, key, it);
	                }
	                seq.items.push(createNode.createNode(it, undefined, ctx));
	            }
	        }
	        return seq;
	    }
	};
	function asItemIndex(key) {
	    let idx = identity.isScalar(key) ? key.value : key;
	    if (idx && typeof idx === 'string')
	        idx = Number(idx);
	    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
	        ? idx
	        : null;
	}

	YAMLSeq.YAMLSeq = YAMLSeq$1;
	return YAMLSeq;
}

var hasRequiredSeq;

function requireSeq () {
	if (hasRequiredSeq) return seq;
	hasRequiredSeq = 1;

	var identity = requireIdentity();
	var YAMLSeq = requireYAMLSeq();

	const seq$1 = {
	    collection: 'seq',
	    default: true,
	    nodeClass: YAMLSeq.YAMLSeq,
	    tag: 'tag:yaml.org,2002:seq',
	    resolve(seq, onError) {
	        if (!identity.isSeq(seq))
	            onError('Expected a sequence for this tag');
	        return seq;
	    },
	    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
	};

	seq.seq = seq$1;
	return seq;
}

var string = {};

var hasRequiredString;

function requireString () {
	if (hasRequiredString) return string;
	hasRequiredString = 1;

	var stringifyString = requireStringifyString();

	const string$1 = {
	    identify: value => typeof value === 'string',
	    default: true,
	    tag: 'tag:yaml.org,2002:str',
	    resolve: str => str,
	    stringify(item, ctx, onComment, onChompKeep) {
	        ctx = Object.assign({ actualString: true }, ctx);
	        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
	    }
	};

	string.string = string$1;
	return string;
}

var tags = {};

var _null = {};

var hasRequired_null;

function require_null () {
	if (hasRequired_null) return _null;
	hasRequired_null = 1;

	var Scalar = requireScalar();

	const nullTag = {
	    identify: value => value == null,
	    createNode: () => new Scalar.Scalar(null),
	    default: true,
	    tag: 'tag:yaml.org,2002:null',
	    test: /^(?:~|[Nn]ull|NULL)?$/,
	    resolve: () => new Scalar.Scalar(null),
	    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
	        ? source
	        : ctx.options.nullStr
	};

	_null.nullTag = nullTag;
	return _null;
}

var bool$1 = {};

var hasRequiredBool$1;

function requireBool$1 () {
	if (hasRequiredBool$1) return bool$1;
	hasRequiredBool$1 = 1;

	var Scalar = requireScalar();

	const boolTag = {
	    identify: value => typeof value === 'boolean',
	    default: true,
	    tag: 'tag:yaml.org,2002:bool',
	    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
	    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
	    stringify({ source, value }, ctx) {
	        if (source && boolTag.test.test(source)) {
	            const sv = source[0] === 't' || source[0] === 'T';
	            if (value === sv)
	                return source;
	        }
	        return value ? ctx.options.trueStr : ctx.options.falseStr;
	    }
	};

	bool$1.boolTag = boolTag;
	return bool$1;
}

var float$1 = {};

var stringifyNumber = {};

var hasRequiredStringifyNumber;

function requireStringifyNumber () {
	if (hasRequiredStringifyNumber) return stringifyNumber;
	hasRequiredStringifyNumber = 1;

	function stringifyNumber$1({ format, minFractionDigits, tag, value }) {
	    if (typeof value === 'bigint')
	        return String(value);
	    const num = typeof value === 'number' ? value : Number(value);
	    if (!isFinite(num))
	        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
	    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
	    if (!format &&
	        minFractionDigits &&
	        (!tag || tag === 'tag:yaml.org,2002:float') &&
	        /^-?\d/.test(n) &&
	        !n.includes('e')) {
	        let i = n.indexOf('.');
	        if (i < 0) {
	            i = n.length;
	            n += '.';
	        }
	        let d = minFractionDigits - (n.length - i - 1);
	        while (d-- > 0)
	            n += '0';
	    }
	    return n;
	}

	stringifyNumber.stringifyNumber = stringifyNumber$1;
	return stringifyNumber;
}

var hasRequiredFloat$1;

function requireFloat$1 () {
	if (hasRequiredFloat$1) return float$1;
	hasRequiredFloat$1 = 1;

	var Scalar = requireScalar();
	var stringifyNumber = requireStringifyNumber();

	const floatNaN = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
	    resolve: str => str.slice(-3).toLowerCase() === 'nan'
	        ? NaN
	        : str[0] === '-'
	            ? Number.NEGATIVE_INFINITY
	            : Number.POSITIVE_INFINITY,
	    stringify: stringifyNumber.stringifyNumber
	};
	const floatExp = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    format: 'EXP',
	    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
	    resolve: str => parseFloat(str),
	    stringify(node) {
	        const num = Number(node.value);
	        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
	    }
	};
	const float = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
	    resolve(str) {
	        const node = new Scalar.Scalar(parseFloat(str));
	        const dot = str.indexOf('.');
	        if (dot !== -1 && str[str.length - 1] === '0')
	            node.minFractionDigits = str.length - dot - 1;
	        return node;
	    },
	    stringify: stringifyNumber.stringifyNumber
	};

	float$1.float = float;
	float$1.floatExp = floatExp;
	float$1.floatNaN = floatNaN;
	return float$1;
}

var int$1 = {};

var hasRequiredInt$1;

function requireInt$1 () {
	if (hasRequiredInt$1) return int$1;
	hasRequiredInt$1 = 1;

	var stringifyNumber = requireStringifyNumber();

	const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
	const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
	function intStringify(node, radix, prefix) {
	    const { value } = node;
	    if (intIdentify(value) && value >= 0)
	        return prefix + value.toString(radix);
	    return stringifyNumber.stringifyNumber(node);
	}
	const intOct = {
	    identify: value => intIdentify(value) && value >= 0,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'OCT',
	    test: /^0o[0-7]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
	    stringify: node => intStringify(node, 8, '0o')
	};
	const int = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    test: /^[-+]?[0-9]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
	    stringify: stringifyNumber.stringifyNumber
	};
	const intHex = {
	    identify: value => intIdentify(value) && value >= 0,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'HEX',
	    test: /^0x[0-9a-fA-F]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
	    stringify: node => intStringify(node, 16, '0x')
	};

	int$1.int = int;
	int$1.intHex = intHex;
	int$1.intOct = intOct;
	return int$1;
}

var schema$2 = {};

var hasRequiredSchema$3;

function requireSchema$3 () {
	if (hasRequiredSchema$3) return schema$2;
	hasRequiredSchema$3 = 1;

	var map = requireMap();
	var _null = require_null();
	var seq = requireSeq();
	var string = requireString();
	var bool = requireBool$1();
	var float = requireFloat$1();
	var int = requireInt$1();

	const schema = [
	    map.map,
	    seq.seq,
	    string.string,
	    _null.nullTag,
	    bool.boolTag,
	    int.intOct,
	    int.int,
	    int.intHex,
	    float.floatNaN,
	    float.floatExp,
	    float.float
	];

	schema$2.schema = schema;
	return schema$2;
}

var schema$1 = {};

var hasRequiredSchema$2;

function requireSchema$2 () {
	if (hasRequiredSchema$2) return schema$1;
	hasRequiredSchema$2 = 1;

	var Scalar = requireScalar();
	var map = requireMap();
	var seq = requireSeq();

	function intIdentify(value) {
	    return typeof value === 'bigint' || Number.isInteger(value);
	}
	const stringifyJSON = ({ value }) => JSON.stringify(value);
	const jsonScalars = [
	    {
	        identify: value => typeof value === 'string',
	        default: true,
	        tag: 'tag:yaml.org,2002:str',
	        resolve: str => str,
	        stringify: stringifyJSON
	    },
	    {
	        identify: value => value == null,
	        createNode: () => new Scalar.Scalar(null),
	        default: true,
	        tag: 'tag:yaml.org,2002:null',
	        test: /^null$/,
	        resolve: () => null,
	        stringify: stringifyJSON
	    },
	    {
	        identify: value => typeof value === 'boolean',
	        default: true,
	        tag: 'tag:yaml.org,2002:bool',
	        test: /^true$|^false$/,
	        resolve: str => str === 'true',
	        stringify: stringifyJSON
	    },
	    {
	        identify: intIdentify,
	        default: true,
	        tag: 'tag:yaml.org,2002:int',
	        test: /^-?(?:0|[1-9][0-9]*)$/,
	        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
	        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
	    },
	    {
	        identify: value => typeof value === 'number',
	        default: true,
	        tag: 'tag:yaml.org,2002:float',
	        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
	        resolve: str => parseFloat(str),
	        stringify: stringifyJSON
	    }
	];
	const jsonError = {
	    default: true,
	    tag: '',
	    test: /^/,
	    resolve(str, onError) {
	        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
	        return str;
	    }
	};
	const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

	schema$1.schema = schema;
	return schema$1;
}

var binary = {};

var hasRequiredBinary;

function requireBinary () {
	if (hasRequiredBinary) return binary;
	hasRequiredBinary = 1;

	var node_buffer = require$$0$2;
	var Scalar = requireScalar();
	var stringifyString = requireStringifyString();

	const binary$1 = {
	    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
	    default: false,
	    tag: 'tag:yaml.org,2002:binary',
	    /**
	     * Returns a Buffer in node and an Uint8Array in browsers
	     *
	     * To use the resulting buffer as an image, you'll want to do something like:
	     *
	     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
	     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
	     */
	    resolve(src, onError) {
	        if (typeof node_buffer.Buffer === 'function') {
	            return node_buffer.Buffer.from(src, 'base64');
	        }
	        else if (typeof atob === 'function') {
	            // On IE 11, atob() can't handle newlines
	            const str = atob(src.replace(/[\n\r]/g, ''));
	            const buffer = new Uint8Array(str.length);
	            for (let i = 0; i < str.length; ++i)
	                buffer[i] = str.charCodeAt(i);
	            return buffer;
	        }
	        else {
	            onError('This environment does not support reading binary tags; either Buffer or atob is required');
	            return src;
	        }
	    },
	    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
	        if (!value)
	            return '';
	        const buf = value; // checked earlier by binary.identify()
	        let str;
	        if (typeof node_buffer.Buffer === 'function') {
	            str =
	                buf instanceof node_buffer.Buffer
	                    ? buf.toString('base64')
	                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
	        }
	        else if (typeof btoa === 'function') {
	            let s = '';
	            for (let i = 0; i < buf.length; ++i)
	                s += String.fromCharCode(buf[i]);
	            str = btoa(s);
	        }
	        else {
	            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
	        }
	        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
	        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
	            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
	            const n = Math.ceil(str.length / lineWidth);
	            const lines = new Array(n);
	            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
	                lines[i] = str.substr(o, lineWidth);
	            }
	            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
	        }
	        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
	    }
	};

	binary.binary = binary$1;
	return binary;
}

var omap = {};

var pairs = {};

var hasRequiredPairs;

function requirePairs () {
	if (hasRequiredPairs) return pairs;
	hasRequiredPairs = 1;

	var identity = requireIdentity();
	var Pair = requirePair();
	var Scalar = requireScalar();
	var YAMLSeq = requireYAMLSeq();

	function resolvePairs(seq, onError) {
	    if (identity.isSeq(seq)) {
	        for (let i = 0; i < seq.items.length; ++i) {
	            let item = seq.items[i];
	            if (identity.isPair(item))
	                continue;
	            else if (identity.isMap(item)) {
	                if (item.items.length > 1)
	                    onError('Each pair must have its own sequence indicator');
	                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
	                if (item.commentBefore)
	                    pair.key.commentBefore = pair.key.commentBefore
	                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
	                        : item.commentBefore;
	                if (item.comment) {
	                    const cn = pair.value ?? pair.key;
	                    cn.comment = cn.comment
	                        ? `${item.comment}\n${cn.comment}`
	                        : item.comment;
	                }
	                item = pair;
	            }
	            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
	        }
	    }
	    else
	        onError('Expected a sequence for this tag');
	    return seq;
	}
	function createPairs(schema, iterable, ctx) {
	    const { replacer } = ctx;
	    const pairs = new YAMLSeq.YAMLSeq(schema);
	    pairs.tag = 'tag:yaml.org,2002:pairs';
	    let i = 0;
	    if (iterable && Symbol.iterator in Object(iterable))
	        for (let it of iterable) {
	            if (typeof replacer === 'function')
	                it = replacer.call(iterable, String(i++), it);
	            let key, value;
	            if (Array.isArray(it)) {
	                if (it.length === 2) {
	                    key = it[0];
	                    value = it[1];
	                }
	                else
	                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
	            }
	            else if (it && it instanceof Object) {
	                const keys = Object.keys(it);
	                if (keys.length === 1) {
	                    key = keys[0];
	                    value = it[key];
	                }
	                else {
	                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
	                }
	            }
	            else {
	                key = it;
	            }
	            pairs.items.push(Pair.createPair(key, value, ctx));
	        }
	    return pairs;
	}
	const pairs$1 = {
	    collection: 'seq',
	    default: false,
	    tag: 'tag:yaml.org,2002:pairs',
	    resolve: resolvePairs,
	    createNode: createPairs
	};

	pairs.createPairs = createPairs;
	pairs.pairs = pairs$1;
	pairs.resolvePairs = resolvePairs;
	return pairs;
}

var hasRequiredOmap;

function requireOmap () {
	if (hasRequiredOmap) return omap;
	hasRequiredOmap = 1;

	var identity = requireIdentity();
	var toJS = requireToJS();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var pairs = requirePairs();

	class YAMLOMap extends YAMLSeq.YAMLSeq {
	    constructor() {
	        super();
	        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
	        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
	        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
	        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
	        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
	        this.tag = YAMLOMap.tag;
	    }
	    /**
	     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
	     * but TypeScript won't allow widening the signature of a child method.
	     */
	    toJSON(_, ctx) {
	        if (!ctx)
	            return super.toJSON(_);
	        const map = new Map();
	        if (ctx?.onCreate)
	            ctx.onCreate(map);
	        for (const pair of this.items) {
	            let key, value;
	            if (identity.isPair(pair)) {
	                key = toJS.toJS(pair.key, '', ctx);
	                value = toJS.toJS(pair.value, key, ctx);
	            }
	            else {
	                key = toJS.toJS(pair, '', ctx);
	            }
	            if (map.has(key))
	                throw new Error('Ordered maps must not include duplicate keys');
	            map.set(key, value);
	        }
	        return map;
	    }
	    static from(schema, iterable, ctx) {
	        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
	        const omap = new this();
	        omap.items = pairs$1.items;
	        return omap;
	    }
	}
	YAMLOMap.tag = 'tag:yaml.org,2002:omap';
	const omap$1 = {
	    collection: 'seq',
	    identify: value => value instanceof Map,
	    nodeClass: YAMLOMap,
	    default: false,
	    tag: 'tag:yaml.org,2002:omap',
	    resolve(seq, onError) {
	        const pairs$1 = pairs.resolvePairs(seq, onError);
	        const seenKeys = [];
	        for (const { key } of pairs$1.items) {
	            if (identity.isScalar(key)) {
	                if (seenKeys.includes(key.value)) {
	                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
	                }
	                else {
	                    seenKeys.push(key.value);
	                }
	            }
	        }
	        return Object.assign(new YAMLOMap(), pairs$1);
	    },
	    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
	};

	omap.YAMLOMap = YAMLOMap;
	omap.omap = omap$1;
	return omap;
}

var schema = {};

var bool = {};

var hasRequiredBool;

function requireBool () {
	if (hasRequiredBool) return bool;
	hasRequiredBool = 1;

	var Scalar = requireScalar();

	function boolStringify({ value, source }, ctx) {
	    const boolObj = value ? trueTag : falseTag;
	    if (source && boolObj.test.test(source))
	        return source;
	    return value ? ctx.options.trueStr : ctx.options.falseStr;
	}
	const trueTag = {
	    identify: value => value === true,
	    default: true,
	    tag: 'tag:yaml.org,2002:bool',
	    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
	    resolve: () => new Scalar.Scalar(true),
	    stringify: boolStringify
	};
	const falseTag = {
	    identify: value => value === false,
	    default: true,
	    tag: 'tag:yaml.org,2002:bool',
	    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
	    resolve: () => new Scalar.Scalar(false),
	    stringify: boolStringify
	};

	bool.falseTag = falseTag;
	bool.trueTag = trueTag;
	return bool;
}

var float = {};

var hasRequiredFloat;

function requireFloat () {
	if (hasRequiredFloat) return float;
	hasRequiredFloat = 1;

	var Scalar = requireScalar();
	var stringifyNumber = requireStringifyNumber();

	const floatNaN = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
	    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
	        ? NaN
	        : str[0] === '-'
	            ? Number.NEGATIVE_INFINITY
	            : Number.POSITIVE_INFINITY,
	    stringify: stringifyNumber.stringifyNumber
	};
	const floatExp = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    format: 'EXP',
	    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
	    resolve: (str) => parseFloat(str.replace(/_/g, '')),
	    stringify(node) {
	        const num = Number(node.value);
	        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
	    }
	};
	const float$1 = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
	    resolve(str) {
	        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
	        const dot = str.indexOf('.');
	        if (dot !== -1) {
	            const f = str.substring(dot + 1).replace(/_/g, '');
	            if (f[f.length - 1] === '0')
	                node.minFractionDigits = f.length;
	        }
	        return node;
	    },
	    stringify: stringifyNumber.stringifyNumber
	};

	float.float = float$1;
	float.floatExp = floatExp;
	float.floatNaN = floatNaN;
	return float;
}

var int = {};

var hasRequiredInt;

function requireInt () {
	if (hasRequiredInt) return int;
	hasRequiredInt = 1;

	var stringifyNumber = requireStringifyNumber();

	const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
	function intResolve(str, offset, radix, { intAsBigInt }) {
	    const sign = str[0];
	    if (sign === '-' || sign === '+')
	        offset += 1;
	    str = str.substring(offset).replace(/_/g, '');
	    if (intAsBigInt) {
	        switch (radix) {
	            case 2:
	                str = `0b${str}`;
	                break;
	            case 8:
	                str = `0o${str}`;
	                break;
	            case 16:
	                str = `0x${str}`;
	                break;
	        }
	        const n = BigInt(str);
	        return sign === '-' ? BigInt(-1) * n : n;
	    }
	    const n = parseInt(str, radix);
	    return sign === '-' ? -1 * n : n;
	}
	function intStringify(node, radix, prefix) {
	    const { value } = node;
	    if (intIdentify(value)) {
	        const str = value.toString(radix);
	        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
	    }
	    return stringifyNumber.stringifyNumber(node);
	}
	const intBin = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'BIN',
	    test: /^[-+]?0b[0-1_]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
	    stringify: node => intStringify(node, 2, '0b')
	};
	const intOct = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'OCT',
	    test: /^[-+]?0[0-7_]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
	    stringify: node => intStringify(node, 8, '0')
	};
	const int$1 = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    test: /^[-+]?[0-9][0-9_]*$/,
	    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
	    stringify: stringifyNumber.stringifyNumber
	};
	const intHex = {
	    identify: intIdentify,
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'HEX',
	    test: /^[-+]?0x[0-9a-fA-F_]+$/,
	    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
	    stringify: node => intStringify(node, 16, '0x')
	};

	int.int = int$1;
	int.intBin = intBin;
	int.intHex = intHex;
	int.intOct = intOct;
	return int;
}

var set = {};

var hasRequiredSet;

function requireSet () {
	if (hasRequiredSet) return set;
	hasRequiredSet = 1;

	var identity = requireIdentity();
	var Pair = requirePair();
	var YAMLMap = requireYAMLMap();

	class YAMLSet extends YAMLMap.YAMLMap {
	    constructor(schema) {
	        super(schema);
	        this.tag = YAMLSet.tag;
	    }
	    add(key) {
	        let pair;
	        if (identity.isPair(key))
	            pair = key;
	        else if (key &&
	            typeof key === 'object' &&
	            'key' in key &&
	            'value' in key &&
	            key.value === null)
	            pair = new Pair.Pair(key.key, null);
	        else
	            pair = new Pair.Pair(key, null);
	        const prev = YAMLMap.findPair(this.items, pair.key);
	        if (!prev)
	            this.items.push(pair);
	    }
	    /**
	     * If `keepPair` is `true`, returns the Pair matching `key`.
	     * Otherwise, returns the value of that Pair's key.
	     */
	    get(key, keepPair) {
	        const pair = YAMLMap.findPair(this.items, key);
	        return !keepPair && identity.isPair(pair)
	            ? identity.isScalar(pair.key)
	                ? pair.key.value
	                : pair.key
	            : pair;
	    }
	    set(key, value) {
	        if (typeof value !== 'boolean')
	            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
	        const prev = YAMLMap.findPair(this.items, key);
	        if (prev && !value) {
	            this.items.splice(this.items.indexOf(prev), 1);
	        }
	        else if (!prev && value) {
	            this.items.push(new Pair.Pair(key));
	        }
	    }
	    toJSON(_, ctx) {
	        return super.toJSON(_, ctx, Set);
	    }
	    toString(ctx, onComment, onChompKeep) {
	        if (!ctx)
	            return JSON.stringify(this);
	        if (this.hasAllNullValues(true))
	            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
	        else
	            throw new Error('Set items must all have null values');
	    }
	    static from(schema, iterable, ctx) {
	        const { replacer } = ctx;
	        const set = new this(schema);
	        if (iterable && Symbol.iterator in Object(iterable))
	            for (let value of iterable) {
	                if (typeof replacer === 'function')
	                    value = replacer.call(iterable, value, value);
	                set.items.push(Pair.createPair(value, null, ctx));
	            }
	        return set;
	    }
	}
	YAMLSet.tag = 'tag:yaml.org,2002:set';
	const set$1 = {
	    collection: 'map',
	    identify: value => value instanceof Set,
	    nodeClass: YAMLSet,
	    default: false,
	    tag: 'tag:yaml.org,2002:set',
	    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
	    resolve(map, onError) {
	        if (identity.isMap(map)) {
	            if (map.hasAllNullValues(true))
	                return Object.assign(new YAMLSet(), map);
	            else
	                onError('Set items must all have null values');
	        }
	        else
	            onError('Expected a mapping for this tag');
	        return map;
	    }
	};

	set.YAMLSet = YAMLSet;
	set.set = set$1;
	return set;
}

var timestamp = {};

var hasRequiredTimestamp;

function requireTimestamp () {
	if (hasRequiredTimestamp) return timestamp;
	hasRequiredTimestamp = 1;

	var stringifyNumber = requireStringifyNumber();

	/** Internal types handle bigint as number, because TS can't figure it out. */
	function parseSexagesimal(str, asBigInt) {
	    const sign = str[0];
	    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
	    const num = (n) => asBigInt ? BigInt(n) : Number(n);
	    const res = parts
	        .replace(/_/g, '')
	        .split(':')
	        .reduce((res, p) => res * num(60) + num(p), num(0));
	    return (sign === '-' ? num(-1) * res : res);
	}
	/**
	 * hhhh:mm:ss.sss
	 *
	 * Internal types handle bigint as number, because TS can't figure it out.
	 */
	function stringifySexagesimal(node) {
	    let { value } = node;
	    let num = (n) => n;
	    if (typeof value === 'bigint')
	        num = n => BigInt(n);
	    else if (isNaN(value) || !isFinite(value))
	        return stringifyNumber.stringifyNumber(node);
	    let sign = '';
	    if (value < 0) {
	        sign = '-';
	        value *= num(-1);
	    }
	    const _60 = num(60);
	    const parts = [value % _60]; // seconds, including ms
	    if (value < 60) {
	        parts.unshift(0); // at least one : is required
	    }
	    else {
	        value = (value - parts[0]) / _60;
	        parts.unshift(value % _60); // minutes
	        if (value >= 60) {
	            value = (value - parts[0]) / _60;
	            parts.unshift(value); // hours
	        }
	    }
	    return (sign +
	        parts
	            .map(n => String(n).padStart(2, '0'))
	            .join(':')
	            .replace(/000000\d*$/, '') // % 60 may introduce error
	    );
	}
	const intTime = {
	    identify: value => typeof value === 'bigint' || Number.isInteger(value),
	    default: true,
	    tag: 'tag:yaml.org,2002:int',
	    format: 'TIME',
	    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
	    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
	    stringify: stringifySexagesimal
	};
	const floatTime = {
	    identify: value => typeof value === 'number',
	    default: true,
	    tag: 'tag:yaml.org,2002:float',
	    format: 'TIME',
	    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
	    resolve: str => parseSexagesimal(str, false),
	    stringify: stringifySexagesimal
	};
	const timestamp$1 = {
	    identify: value => value instanceof Date,
	    default: true,
	    tag: 'tag:yaml.org,2002:timestamp',
	    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
	    // may be omitted altogether, resulting in a date format. In such a case, the time part is
	    // assumed to be 00:00:00Z (start of day, UTC).
	    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
	        '(?:' + // time is optional
	        '(?:t|T|[ \\t]+)' + // t | T | whitespace
	        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
	        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
	        ')?$'),
	    resolve(str) {
	        const match = str.match(timestamp$1.test);
	        if (!match)
	            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
	        const [, year, month, day, hour, minute, second] = match.map(Number);
	        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
	        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
	        const tz = match[8];
	        if (tz && tz !== 'Z') {
	            let d = parseSexagesimal(tz, false);
	            if (Math.abs(d) < 30)
	                d *= 60;
	            date -= 60000 * d;
	        }
	        return new Date(date);
	    },
	    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
	};

	timestamp.floatTime = floatTime;
	timestamp.intTime = intTime;
	timestamp.timestamp = timestamp$1;
	return timestamp;
}

var hasRequiredSchema$1;

function requireSchema$1 () {
	if (hasRequiredSchema$1) return schema;
	hasRequiredSchema$1 = 1;

	var map = requireMap();
	var _null = require_null();
	var seq = requireSeq();
	var string = requireString();
	var binary = requireBinary();
	var bool = requireBool();
	var float = requireFloat();
	var int = requireInt();
	var merge = requireMerge();
	var omap = requireOmap();
	var pairs = requirePairs();
	var set = requireSet();
	var timestamp = requireTimestamp();

	const schema$1 = [
	    map.map,
	    seq.seq,
	    string.string,
	    _null.nullTag,
	    bool.trueTag,
	    bool.falseTag,
	    int.intBin,
	    int.intOct,
	    int.int,
	    int.intHex,
	    float.floatNaN,
	    float.floatExp,
	    float.float,
	    binary.binary,
	    merge.merge,
	    omap.omap,
	    pairs.pairs,
	    set.set,
	    timestamp.intTime,
	    timestamp.floatTime,
	    timestamp.timestamp
	];

	schema.schema = schema$1;
	return schema;
}

var hasRequiredTags;

function requireTags () {
	if (hasRequiredTags) return tags;
	hasRequiredTags = 1;

	var map = requireMap();
	var _null = require_null();
	var seq = requireSeq();
	var string = requireString();
	var bool = requireBool$1();
	var float = requireFloat$1();
	var int = requireInt$1();
	var schema = requireSchema$3();
	var schema$1 = requireSchema$2();
	var binary = requireBinary();
	var merge = requireMerge();
	var omap = requireOmap();
	var pairs = requirePairs();
	var schema$2 = requireSchema$1();
	var set = requireSet();
	var timestamp = requireTimestamp();

	const schemas = new Map([
	    ['core', schema.schema],
	    ['failsafe', [map.map, seq.seq, string.string]],
	    ['json', schema$1.schema],
	    ['yaml11', schema$2.schema],
	    ['yaml-1.1', schema$2.schema]
	]);
	const tagsByName = {
	    binary: binary.binary,
	    bool: bool.boolTag,
	    float: float.float,
	    floatExp: float.floatExp,
	    floatNaN: float.floatNaN,
	    floatTime: timestamp.floatTime,
	    int: int.int,
	    intHex: int.intHex,
	    intOct: int.intOct,
	    intTime: timestamp.intTime,
	    map: map.map,
	    merge: merge.merge,
	    null: _null.nullTag,
	    omap: omap.omap,
	    pairs: pairs.pairs,
	    seq: seq.seq,
	    set: set.set,
	    timestamp: timestamp.timestamp
	};
	const coreKnownTags = {
	    'tag:yaml.org,2002:binary': binary.binary,
	    'tag:yaml.org,2002:merge': merge.merge,
	    'tag:yaml.org,2002:omap': omap.omap,
	    'tag:yaml.org,2002:pairs': pairs.pairs,
	    'tag:yaml.org,2002:set': set.set,
	    'tag:yaml.org,2002:timestamp': timestamp.timestamp
	};
	function getTags(customTags, schemaName, addMergeTag) {
	    const schemaTags = schemas.get(schemaName);
	    if (schemaTags && !customTags) {
	        return addMergeTag && !schemaTags.includes(merge.merge)
	            ? schemaTags.concat(merge.merge)
	            : schemaTags.slice();
	    }
	    let tags = schemaTags;
	    if (!tags) {
	        if (Array.isArray(customTags))
	            tags = [];
	        else {
	            const keys = Array.from(schemas.keys())
	                .filter(key => key !== 'yaml11')
	                .map(key => JSON.stringify(key))
	                .join(', ');
	            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
	        }
	    }
	    if (Array.isArray(customTags)) {
	        for (const tag of customTags)
	            tags = tags.concat(tag);
	    }
	    else if (typeof customTags === 'function') {
	        tags = customTags(tags.slice());
	    }
	    if (addMergeTag)
	        tags = tags.concat(merge.merge);
	    return tags.reduce((tags, tag) => {
	        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
	        if (!tagObj) {
	            const tagName = JSON.stringify(tag);
	            const keys = Object.keys(tagsByName)
	                .map(key => JSON.stringify(key))
	                .join(', ');
	            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
	        }
	        if (!tags.includes(tagObj))
	            tags.push(tagObj);
	        return tags;
	    }, []);
	}

	tags.coreKnownTags = coreKnownTags;
	tags.getTags = getTags;
	return tags;
}

var hasRequiredSchema;

function requireSchema () {
	if (hasRequiredSchema) return Schema;
	hasRequiredSchema = 1;

	var identity = requireIdentity();
	var map = requireMap();
	var seq = requireSeq();
	var string = requireString();
	var tags = requireTags();

	const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
	let Schema$1 = class Schema {
	    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
	        this.compat = Array.isArray(compat)
	            ? tags.getTags(compat, 'compat')
	            : compat
	                ? tags.getTags(null, compat)
	                : null;
	        this.name = (typeof schema === 'string' && schema) || 'core';
	        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
	        this.tags = tags.getTags(customTags, this.name, merge);
	        this.toStringOptions = toStringDefaults ?? null;
	        Object.defineProperty(this, identity.MAP, { value: map.map });
	        Object.defineProperty(this, identity.SCALAR, { value: string.string });
	        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
	        // Used by createMap()
	        this.sortMapEntries =
	            typeof sortMapEntries === 'function'
	                ? sortMapEntries
	                : sortMapEntries === true
	                    ? sortMapEntriesByKey
	                    : null;
	    }
	    clone() {
	        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
	        copy.tags = this.tags.slice();
	        return copy;
	    }
	};

	Schema.Schema = Schema$1;
	return Schema;
}

var stringifyDocument = {};

var hasRequiredStringifyDocument;

function requireStringifyDocument () {
	if (hasRequiredStringifyDocument) return stringifyDocument;
	hasRequiredStringifyDocument = 1;

	var identity = requireIdentity();
	var stringify = requireStringify();
	var stringifyComment = requireStringifyComment();

	function stringifyDocument$1(doc, options) {
	    const lines = [];
	    let hasDirectives = options.directives === true;
	    if (options.directives !== false && doc.directives) {
	        const dir = doc.directives.toString(doc);
	        if (dir) {
	            lines.push(dir);
	            hasDirectives = true;
	        }
	        else if (doc.directives.docStart)
	            hasDirectives = true;
	    }
	    if (hasDirectives)
	        lines.push('---');
	    const ctx = stringify.createStringifyContext(doc, options);
	    const { commentString } = ctx.options;
	    if (doc.commentBefore) {
	        if (lines.length !== 1)
	            lines.unshift('');
	        const cs = commentString(doc.commentBefore);
	        lines.unshift(stringifyComment.indentComment(cs, ''));
	    }
	    let chompKeep = false;
	    let contentComment = null;
	    if (doc.contents) {
	        if (identity.isNode(doc.contents)) {
	            if (doc.contents.spaceBefore && hasDirectives)
	                lines.push('');
	            if (doc.contents.commentBefore) {
	                const cs = commentString(doc.contents.commentBefore);
	                lines.push(stringifyComment.indentComment(cs, ''));
	            }
	            // top-level block scalars need to be indented if followed by a comment
	            ctx.forceBlockIndent = !!doc.comment;
	            contentComment = doc.contents.comment;
	        }
	        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
	        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
	        if (contentComment)
	            body += stringifyComment.lineComment(body, '', commentString(contentComment));
	        if ((body[0] === '|' || body[0] === '>') &&
	            lines[lines.length - 1] === '---') {
	            // Top-level block scalars with a preceding doc marker ought to use the
	            // same line for their header.
	            lines[lines.length - 1] = `--- ${body}`;
	        }
	        else
	            lines.push(body);
	    }
	    else {
	        lines.push(stringify.stringify(doc.contents, ctx));
	    }
	    if (doc.directives?.docEnd) {
	        if (doc.comment) {
	            const cs = commentString(doc.comment);
	            if (cs.includes('\n')) {
	                lines.push('...');
	                lines.push(stringifyComment.indentComment(cs, ''));
	            }
	            else {
	                lines.push(`... ${cs}`);
	            }
	        }
	        else {
	            lines.push('...');
	        }
	    }
	    else {
	        let dc = doc.comment;
	        if (dc && chompKeep)
	            dc = dc.replace(/^\n+/, '');
	        if (dc) {
	            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
	                lines.push('');
	            lines.push(stringifyComment.indentComment(commentString(dc), ''));
	        }
	    }
	    return lines.join('\n') + '\n';
	}

	stringifyDocument.stringifyDocument = stringifyDocument$1;
	return stringifyDocument;
}

var hasRequiredDocument;

function requireDocument () {
	if (hasRequiredDocument) return Document;
	hasRequiredDocument = 1;

	var Alias = requireAlias();
	var Collection = requireCollection();
	var identity = requireIdentity();
	var Pair = requirePair();
	var toJS = requireToJS();
	var Schema = requireSchema();
	var stringifyDocument = requireStringifyDocument();
	var anchors = requireAnchors();
	var applyReviver = requireApplyReviver();
	var createNode = requireCreateNode();
	var directives = requireDirectives();

	let Document$1 = class Document {
	    constructor(value, replacer, options) {
	        /** A comment before this Document */
	        this.commentBefore = null;
	        /** A comment immediately after this Document */
	        this.comment = null;
	        /** Errors encountered during parsing. */
	        this.errors = [];
	        /** Warnings encountered during parsing. */
	        this.warnings = [];
	        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
	        let _replacer = null;
	        if (typeof replacer === 'function' || Array.isArray(replacer)) {
	            _replacer = replacer;
	        }
	        else if (options === undefined && replacer) {
	            options = replacer;
	            replacer = undefined;
	        }
	        const opt = Object.assign({
	            intAsBigInt: false,
	            keepSourceTokens: false,
	            logLevel: 'warn',
	            prettyErrors: true,
	            strict: true,
	            stringKeys: false,
	            uniqueKeys: true,
	            version: '1.2'
	        }, options);
	        this.options = opt;
	        let { version } = opt;
	        if (options?._directives) {
	            this.directives = options._directives.atDocument();
	            if (this.directives.yaml.explicit)
	                version = this.directives.yaml.version;
	        }
	        else
	            this.directives = new directives.Directives({ version });
	        this.setSchema(version, options);
	        // @ts-expect-error We can't really know that this matches Contents.
	        this.contents =
	            value === undefined ? null : this.createNode(value, _replacer, options);
	    }
	    /**
	     * Create a deep copy of this Document and its contents.
	     *
	     * Custom Node values that inherit from `Object` still refer to their original instances.
	     */
	    clone() {
	        const copy = Object.create(Document.prototype, {
	            [identity.NODE_TYPE]: { value: identity.DOC }
	        });
	        copy.commentBefore = this.commentBefore;
	        copy.comment = this.comment;
	        copy.errors = this.errors.slice();
	        copy.warnings = this.warnings.slice();
	        copy.options = Object.assign({}, this.options);
	        if (this.directives)
	            copy.directives = this.directives.clone();
	        copy.schema = this.schema.clone();
	        // @ts-expect-error We can't really know that this matches Contents.
	        copy.contents = identity.isNode(this.contents)
	            ? this.contents.clone(copy.schema)
	            : this.contents;
	        if (this.range)
	            copy.range = this.range.slice();
	        return copy;
	    }
	    /** Adds a value to the document. */
	    add(value) {
	        if (assertCollection(this.contents))
	            this.contents.add(value);
	    }
	    /** Adds a value to the document. */
	    addIn(path, value) {
	        if (assertCollection(this.contents))
	            this.contents.addIn(path, value);
	    }
	    /**
	     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
	     *
	     * If `node` already has an anchor, `name` is ignored.
	     * Otherwise, the `node.anchor` value will be set to `name`,
	     * or if an anchor with that name is already present in the document,
	     * `name` will be used as a prefix for a new unique anchor.
	     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
	     */
	    createAlias(node, name) {
	        if (!node.anchor) {
	            const prev = anchors.anchorNames(this);
	            node.anchor =
	                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
	        }
	        return new Alias.Alias(node.anchor);
	    }
	    createNode(value, replacer, options) {
	        let _replacer = undefined;
	        if (typeof replacer === 'function') {
	            value = replacer.call({ '': value }, '', value);
	            _replacer = replacer;
	        }
	        else if (Array.isArray(replacer)) {
	            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
	            const asStr = replacer.filter(keyToStr).map(String);
	            if (asStr.length > 0)
	                replacer = replacer.concat(asStr);
	            _replacer = replacer;
	        }
	        else if (options === undefined && replacer) {
	            options = replacer;
	            replacer = undefined;
	        }
	        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
	        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
	        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	        anchorPrefix || 'a');
	        const ctx = {
	            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
	            keepUndefined: keepUndefined ?? false,
	            onAnchor,
	            onTagObj,
	            replacer: _replacer,
	            schema: this.schema,
	            sourceObjects
	        };
	        const node = createNode.createNode(value, tag, ctx);
	        if (flow && identity.isCollection(node))
	            node.flow = true;
	        setAnchors();
	        return node;
	    }
	    /**
	     * Convert a key and a value into a `Pair` using the current schema,
	     * recursively wrapping all values as `Scalar` or `Collection` nodes.
	     */
	    createPair(key, value, options = {}) {
	        const k = this.createNode(key, null, options);
	        const v = this.createNode(value, null, options);
	        return new Pair.Pair(k, v);
	    }
	    /**
	     * Removes a value from the document.
	     * @returns `true` if the item was found and removed.
	     */
	    delete(key) {
	        return assertCollection(this.contents) ? this.contents.delete(key) : false;
	    }
	    /**
	     * Removes a value from the document.
	     * @returns `true` if the item was found and removed.
	     */
	    deleteIn(path) {
	        if (Collection.isEmptyPath(path)) {
	            if (this.contents == null)
	                return false;
	            // @ts-expect-error Presumed impossible if Strict extends false
	            this.contents = null;
	            return true;
	        }
	        return assertCollection(this.contents)
	            ? this.contents.deleteIn(path)
	            : false;
	    }
	    /**
	     * Returns item at `key`, or `undefined` if not found. By default unwraps
	     * scalar values from their surrounding node; to disable set `keepScalar` to
	     * `true` (collections are always returned intact).
	     */
	    get(key, keepScalar) {
	        return identity.isCollection(this.contents)
	            ? this.contents.get(key, keepScalar)
	            : undefined;
	    }
	    /**
	     * Returns item at `path`, or `undefined` if not found. By default unwraps
	     * scalar values from their surrounding node; to disable set `keepScalar` to
	     * `true` (collections are always returned intact).
	     */
	    getIn(path, keepScalar) {
	        if (Collection.isEmptyPath(path))
	            return !keepScalar && identity.isScalar(this.contents)
	                ? this.contents.value
	                : this.contents;
	        return identity.isCollection(this.contents)
	            ? this.contents.getIn(path, keepScalar)
	            : undefined;
	    }
	    /**
	     * Checks if the document includes a value with the key `key`.
	     */
	    has(key) {
	        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
	    }
	    /**
	     * Checks if the document includes a value at `path`.
	     */
	    hasIn(path) {
	        if (Collection.isEmptyPath(path))
	            return this.contents !== undefined;
	        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
	    }
	    /**
	     * Sets a value in this document. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     */
	    set(key, value) {
	        if (this.contents == null) {
	            // @ts-expect-error We can't really know that this matches Contents.
	            this.contents = Collection.collectionFromPath(this.schema, [key], value);
	        }
	        else if (assertCollection(this.contents)) {
	            this.contents.set(key, value);
	        }
	    }
	    /**
	     * Sets a value in this document. For `!!set`, `value` needs to be a
	     * boolean to add/remove the item from the set.
	     */
	    setIn(path, value) {
	        if (Collection.isEmptyPath(path)) {
	            // @ts-expect-error We can't really know that this matches Contents.
	            this.contents = value;
	        }
	        else if (this.contents == null) {
	            // @ts-expect-error We can't really know that this matches Contents.
	            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
	        }
	        else if (assertCollection(this.contents)) {
	            this.contents.setIn(path, value);
	        }
	    }
	    /**
	     * Change the YAML version and schema used by the document.
	     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
	     * It also requires the `schema` option to be given as a `Schema` instance value.
	     *
	     * Overrides all previously set schema options.
	     */
	    setSchema(version, options = {}) {
	        if (typeof version === 'number')
	            version = String(version);
	        let opt;
	        switch (version) {
	            case '1.1':
	                if (this.directives)
	                    this.directives.yaml.version = '1.1';
	                else
	                    this.directives = new directives.Directives({ version: '1.1' });
	                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
	                break;
	            case '1.2':
	            case 'next':
	                if (this.directives)
	                    this.directives.yaml.version = version;
	                else
	                    this.directives = new directives.Directives({ version });
	                opt = { resolveKnownTags: true, schema: 'core' };
	                break;
	            case null:
	                if (this.directives)
	                    delete this.directives;
	                opt = null;
	                break;
	            default: {
	                const sv = JSON.stringify(version);
	                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
	            }
	        }
	        // Not using `instanceof Schema` to allow for duck typing
	        if (options.schema instanceof Object)
	            this.schema = options.schema;
	        else if (opt)
	            this.schema = new Schema.Schema(Object.assign(opt, options));
	        else
	            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
	    }
	    // json & jsonArg are only used from toJSON()
	    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
	        const ctx = {
	            anchors: new Map(),
	            doc: this,
	            keep: !json,
	            mapAsMap: mapAsMap === true,
	            mapKeyWarned: false,
	            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
	        };
	        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
	        if (typeof onAnchor === 'function')
	            for (const { count, res } of ctx.anchors.values())
	                onAnchor(res, count);
	        return typeof reviver === 'function'
	            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
	            : res;
	    }
	    /**
	     * A JSON representation of the document `contents`.
	     *
	     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
	     *   property name.
	     */
	    toJSON(jsonArg, onAnchor) {
	        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
	    }
	    /** A YAML representation of the document. */
	    toString(options = {}) {
	        if (this.errors.length > 0)
	            throw new Error('Document with errors cannot be stringified');
	        if ('indent' in options &&
	            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
	            const s = JSON.stringify(options.indent);
	            throw new Error(`"indent" option must be a positive integer, not ${s}`);
	        }
	        return stringifyDocument.stringifyDocument(this, options);
	    }
	};
	function assertCollection(contents) {
	    if (identity.isCollection(contents))
	        return true;
	    throw new Error('Expected a YAML collection as document contents');
	}

	Document.Document = Document$1;
	return Document;
}

var errors$1 = {};

var hasRequiredErrors$1;

function requireErrors$1 () {
	if (hasRequiredErrors$1) return errors$1;
	hasRequiredErrors$1 = 1;

	class YAMLError extends Error {
	    constructor(name, pos, code, message) {
	        super();
	        this.name = name;
	        this.code = code;
	        this.message = message;
	        this.pos = pos;
	    }
	}
	class YAMLParseError extends YAMLError {
	    constructor(pos, code, message) {
	        super('YAMLParseError', pos, code, message);
	    }
	}
	class YAMLWarning extends YAMLError {
	    constructor(pos, code, message) {
	        super('YAMLWarning', pos, code, message);
	    }
	}
	const prettifyError = (src, lc) => (error) => {
	    if (error.pos[0] === -1)
	        return;
	    error.linePos = error.pos.map(pos => lc.linePos(pos));
	    const { line, col } = error.linePos[0];
	    error.message += ` at line ${line}, column ${col}`;
	    let ci = col - 1;
	    let lineStr = src
	        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
	        .replace(/[\n\r]+$/, '');
	    // Trim to max 80 chars, keeping col position near the middle
	    if (ci >= 60 && lineStr.length > 80) {
	        const trimStart = Math.min(ci - 39, lineStr.length - 79);
	        lineStr = '…' + lineStr.substring(trimStart);
	        ci -= trimStart - 1;
	    }
	    if (lineStr.length > 80)
	        lineStr = lineStr.substring(0, 79) + '…';
	    // Include previous line in context if pointing at line start
	    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
	        // Regexp won't match if start is trimmed
	        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
	        if (prev.length > 80)
	            prev = prev.substring(0, 79) + '…\n';
	        lineStr = prev + lineStr;
	    }
	    if (/[^ ]/.test(lineStr)) {
	        let count = 1;
	        const end = error.linePos[1];
	        if (end?.line === line && end.col > col) {
	            count = Math.max(1, Math.min(end.col - col, 80 - ci));
	        }
	        const pointer = ' '.repeat(ci) + '^'.repeat(count);
	        error.message += `:\n\n${lineStr}\n${pointer}\n`;
	    }
	};

	errors$1.YAMLError = YAMLError;
	errors$1.YAMLParseError = YAMLParseError;
	errors$1.YAMLWarning = YAMLWarning;
	errors$1.prettifyError = prettifyError;
	return errors$1;
}

var composeDoc = {};

var composeNode = {};

var composeCollection = {};

var resolveBlockMap = {};

var resolveProps = {};

var hasRequiredResolveProps;

function requireResolveProps () {
	if (hasRequiredResolveProps) return resolveProps;
	hasRequiredResolveProps = 1;

	function resolveProps$1(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
	    let spaceBefore = false;
	    let atNewline = startOnNewline;
	    let hasSpace = startOnNewline;
	    let comment = '';
	    let commentSep = '';
	    let hasNewline = false;
	    let reqSpace = false;
	    let tab = null;
	    let anchor = null;
	    let tag = null;
	    let newlineAfterProp = null;
	    let comma = null;
	    let found = null;
	    let start = null;
	    for (const token of tokens) {
	        if (reqSpace) {
	            if (token.type !== 'space' &&
	                token.type !== 'newline' &&
	                token.type !== 'comma')
	                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
	            reqSpace = false;
	        }
	        if (tab) {
	            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
	                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
	            }
	            tab = null;
	        }
	        switch (token.type) {
	            case 'space':
	                // At the doc level, tabs at line start may be parsed
	                // as leading white space rather than indentation.
	                // In a flow collection, only the parser handles indent.
	                if (!flow &&
	                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
	                    token.source.includes('\t')) {
	                    tab = token;
	                }
	                hasSpace = true;
	                break;
	            case 'comment': {
	                if (!hasSpace)
	                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
	                const cb = token.source.substring(1) || ' ';
	                if (!comment)
	                    comment = cb;
	                else
	                    comment += commentSep + cb;
	                commentSep = '';
	                atNewline = false;
	                break;
	            }
	            case 'newline':
	                if (atNewline) {
	                    if (comment)
	                        comment += token.source;
	                    else if (!found || indicator !== 'seq-item-ind')
	                        spaceBefore = true;
	                }
	                else
	                    commentSep += token.source;
	                atNewline = true;
	                hasNewline = true;
	                if (anchor || tag)
	                    newlineAfterProp = token;
	                hasSpace = true;
	                break;
	            case 'anchor':
	                if (anchor)
	                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
	                if (token.source.endsWith(':'))
	                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
	                anchor = token;
	                start ?? (start = token.offset);
	                atNewline = false;
	                hasSpace = false;
	                reqSpace = true;
	                break;
	            case 'tag': {
	                if (tag)
	                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
	                tag = token;
	                start ?? (start = token.offset);
	                atNewline = false;
	                hasSpace = false;
	                reqSpace = true;
	                break;
	            }
	            case indicator:
	                // Could here handle preceding comments differently
	                if (anchor || tag)
	                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
	                if (found)
	                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
	                found = token;
	                atNewline =
	                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
	                hasSpace = false;
	                break;
	            case 'comma':
	                if (flow) {
	                    if (comma)
	                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
	                    comma = token;
	                    atNewline = false;
	                    hasSpace = false;
	                    break;
	                }
	            // else fallthrough
	            default:
	                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
	                atNewline = false;
	                hasSpace = false;
	        }
	    }
	    const last = tokens[tokens.length - 1];
	    const end = last ? last.offset + last.source.length : offset;
	    if (reqSpace &&
	        next &&
	        next.type !== 'space' &&
	        next.type !== 'newline' &&
	        next.type !== 'comma' &&
	        (next.type !== 'scalar' || next.source !== '')) {
	        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
	    }
	    if (tab &&
	        ((atNewline && tab.indent <= parentIndent) ||
	            next?.type === 'block-map' ||
	            next?.type === 'block-seq'))
	        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
	    return {
	        comma,
	        found,
	        spaceBefore,
	        comment,
	        hasNewline,
	        anchor,
	        tag,
	        newlineAfterProp,
	        end,
	        start: start ?? end
	    };
	}

	resolveProps.resolveProps = resolveProps$1;
	return resolveProps;
}

var utilContainsNewline = {};

var hasRequiredUtilContainsNewline;

function requireUtilContainsNewline () {
	if (hasRequiredUtilContainsNewline) return utilContainsNewline;
	hasRequiredUtilContainsNewline = 1;

	function containsNewline(key) {
	    if (!key)
	        return null;
	    switch (key.type) {
	        case 'alias':
	        case 'scalar':
	        case 'double-quoted-scalar':
	        case 'single-quoted-scalar':
	            if (key.source.includes('\n'))
	                return true;
	            if (key.end)
	                for (const st of key.end)
	                    if (st.type === 'newline')
	                        return true;
	            return false;
	        case 'flow-collection':
	            for (const it of key.items) {
	                for (const st of it.start)
	                    if (st.type === 'newline')
	                        return true;
	                if (it.sep)
	                    for (const st of it.sep)
	                        if (st.type === 'newline')
	                            return true;
	                if (containsNewline(it.key) || containsNewline(it.value))
	                    return true;
	            }
	            return false;
	        default:
	            return true;
	    }
	}

	utilContainsNewline.containsNewline = containsNewline;
	return utilContainsNewline;
}

var utilFlowIndentCheck = {};

var hasRequiredUtilFlowIndentCheck;

function requireUtilFlowIndentCheck () {
	if (hasRequiredUtilFlowIndentCheck) return utilFlowIndentCheck;
	hasRequiredUtilFlowIndentCheck = 1;

	var utilContainsNewline = requireUtilContainsNewline();

	function flowIndentCheck(indent, fc, onError) {
	    if (fc?.type === 'flow-collection') {
	        const end = fc.end[0];
	        if (end.indent === indent &&
	            (end.source === ']' || end.source === '}') &&
	            utilContainsNewline.containsNewline(fc)) {
	            const msg = 'Flow end indicator should be more indented than parent';
	            onError(end, 'BAD_INDENT', msg, true);
	        }
	    }
	}

	utilFlowIndentCheck.flowIndentCheck = flowIndentCheck;
	return utilFlowIndentCheck;
}

var utilMapIncludes = {};

var hasRequiredUtilMapIncludes;

function requireUtilMapIncludes () {
	if (hasRequiredUtilMapIncludes) return utilMapIncludes;
	hasRequiredUtilMapIncludes = 1;

	var identity = requireIdentity();

	function mapIncludes(ctx, items, search) {
	    const { uniqueKeys } = ctx.options;
	    if (uniqueKeys === false)
	        return false;
	    const isEqual = typeof uniqueKeys === 'function'
	        ? uniqueKeys
	        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
	    return items.some(pair => isEqual(pair.key, search));
	}

	utilMapIncludes.mapIncludes = mapIncludes;
	return utilMapIncludes;
}

var hasRequiredResolveBlockMap;

function requireResolveBlockMap () {
	if (hasRequiredResolveBlockMap) return resolveBlockMap;
	hasRequiredResolveBlockMap = 1;

	var Pair = requirePair();
	var YAMLMap = requireYAMLMap();
	var resolveProps = requireResolveProps();
	var utilContainsNewline = requireUtilContainsNewline();
	var utilFlowIndentCheck = requireUtilFlowIndentCheck();
	var utilMapIncludes = requireUtilMapIncludes();

	const startColMsg = 'All mapping items must start at the same column';
	function resolveBlockMap$1({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
	    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
	    const map = new NodeClass(ctx.schema);
	    if (ctx.atRoot)
	        ctx.atRoot = false;
	    let offset = bm.offset;
	    let commentEnd = null;
	    for (const collItem of bm.items) {
	        const { start, key, sep, value } = collItem;
	        // key properties
	        const keyProps = resolveProps.resolveProps(start, {
	            indicator: 'explicit-key-ind',
	            next: key ?? sep?.[0],
	            offset,
	            onError,
	            parentIndent: bm.indent,
	            startOnNewline: true
	        });
	        const implicitKey = !keyProps.found;
	        if (implicitKey) {
	            if (key) {
	                if (key.type === 'block-seq')
	                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
	                else if ('indent' in key && key.indent !== bm.indent)
	                    onError(offset, 'BAD_INDENT', startColMsg);
	            }
	            if (!keyProps.anchor && !keyProps.tag && !sep) {
	                commentEnd = keyProps.end;
	                if (keyProps.comment) {
	                    if (map.comment)
	                        map.comment += '\n' + keyProps.comment;
	                    else
	                        map.comment = keyProps.comment;
	                }
	                continue;
	            }
	            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
	                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
	            }
	        }
	        else if (keyProps.found?.indent !== bm.indent) {
	            onError(offset, 'BAD_INDENT', startColMsg);
	        }
	        // key value
	        ctx.atKey = true;
	        const keyStart = keyProps.end;
	        const keyNode = key
	            ? composeNode(ctx, key, keyProps, onError)
	            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
	        if (ctx.schema.compat)
	            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
	        ctx.atKey = false;
	        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
	            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
	        // value properties
	        const valueProps = resolveProps.resolveProps(sep ?? [], {
	            indicator: 'map-value-ind',
	            next: value,
	            offset: keyNode.range[2],
	            onError,
	            parentIndent: bm.indent,
	            startOnNewline: !key || key.type === 'block-scalar'
	        });
	        offset = valueProps.end;
	        if (valueProps.found) {
	            if (implicitKey) {
	                if (value?.type === 'block-map' && !valueProps.hasNewline)
	                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
	                if (ctx.options.strict &&
	                    keyProps.start < valueProps.found.offset - 1024)
	                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
	            }
	            // value value
	            const valueNode = value
	                ? composeNode(ctx, value, valueProps, onError)
	                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
	            if (ctx.schema.compat)
	                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
	            offset = valueNode.range[2];
	            const pair = new Pair.Pair(keyNode, valueNode);
	            if (ctx.options.keepSourceTokens)
	                pair.srcToken = collItem;
	            map.items.push(pair);
	        }
	        else {
	            // key with no value
	            if (implicitKey)
	                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
	            if (valueProps.comment) {
	                if (keyNode.comment)
	                    keyNode.comment += '\n' + valueProps.comment;
	                else
	                    keyNode.comment = valueProps.comment;
	            }
	            const pair = new Pair.Pair(keyNode);
	            if (ctx.options.keepSourceTokens)
	                pair.srcToken = collItem;
	            map.items.push(pair);
	        }
	    }
	    if (commentEnd && commentEnd < offset)
	        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
	    map.range = [bm.offset, offset, commentEnd ?? offset];
	    return map;
	}

	resolveBlockMap.resolveBlockMap = resolveBlockMap$1;
	return resolveBlockMap;
}

var resolveBlockSeq = {};

var hasRequiredResolveBlockSeq;

function requireResolveBlockSeq () {
	if (hasRequiredResolveBlockSeq) return resolveBlockSeq;
	hasRequiredResolveBlockSeq = 1;

	var YAMLSeq = requireYAMLSeq();
	var resolveProps = requireResolveProps();
	var utilFlowIndentCheck = requireUtilFlowIndentCheck();

	function resolveBlockSeq$1({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
	    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
	    const seq = new NodeClass(ctx.schema);
	    if (ctx.atRoot)
	        ctx.atRoot = false;
	    if (ctx.atKey)
	        ctx.atKey = false;
	    let offset = bs.offset;
	    let commentEnd = null;
	    for (const { start, value } of bs.items) {
	        const props = resolveProps.resolveProps(start, {
	            indicator: 'seq-item-ind',
	            next: value,
	            offset,
	            onError,
	            parentIndent: bs.indent,
	            startOnNewline: true
	        });
	        if (!props.found) {
	            if (props.anchor || props.tag || value) {
	                if (value?.type === 'block-seq')
	                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
	                else
	                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
	            }
	            else {
	                commentEnd = props.end;
	                if (props.comment)
	                    seq.comment = props.comment;
	                continue;
	            }
	        }
	        const node = value
	            ? composeNode(ctx, value, props, onError)
	            : composeEmptyNode(ctx, props.end, start, null, props, onError);
	        if (ctx.schema.compat)
	            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
	        offset = node.range[2];
	        seq.items.push(node);
	    }
	    seq.range = [bs.offset, offset, commentEnd ?? offset];
	    return seq;
	}

	resolveBlockSeq.resolveBlockSeq = resolveBlockSeq$1;
	return resolveBlockSeq;
}

var resolveFlowCollection = {};

var resolveEnd = {};

var hasRequiredResolveEnd;

function requireResolveEnd () {
	if (hasRequiredResolveEnd) return resolveEnd;
	hasRequiredResolveEnd = 1;

	function resolveEnd$1(end, offset, reqSpace, onError) {
	    let comment = '';
	    if (end) {
	        let hasSpace = false;
	        let sep = '';
	        for (const token of end) {
	            const { source, type } = token;
	            switch (type) {
	                case 'space':
	                    hasSpace = true;
	                    break;
	                case 'comment': {
	                    if (reqSpace && !hasSpace)
	                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
	                    const cb = source.substring(1) || ' ';
	                    if (!comment)
	                        comment = cb;
	                    else
	                        comment += sep + cb;
	                    sep = '';
	                    break;
	                }
	                case 'newline':
	                    if (comment)
	                        sep += source;
	                    hasSpace = true;
	                    break;
	                default:
	                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
	            }
	            offset += source.length;
	        }
	    }
	    return { comment, offset };
	}

	resolveEnd.resolveEnd = resolveEnd$1;
	return resolveEnd;
}

var hasRequiredResolveFlowCollection;

function requireResolveFlowCollection () {
	if (hasRequiredResolveFlowCollection) return resolveFlowCollection;
	hasRequiredResolveFlowCollection = 1;

	var identity = requireIdentity();
	var Pair = requirePair();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var resolveEnd = requireResolveEnd();
	var resolveProps = requireResolveProps();
	var utilContainsNewline = requireUtilContainsNewline();
	var utilMapIncludes = requireUtilMapIncludes();

	const blockMsg = 'Block collections are not allowed within flow collections';
	const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
	function resolveFlowCollection$1({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
	    const isMap = fc.start.source === '{';
	    const fcName = isMap ? 'flow map' : 'flow sequence';
	    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
	    const coll = new NodeClass(ctx.schema);
	    coll.flow = true;
	    const atRoot = ctx.atRoot;
	    if (atRoot)
	        ctx.atRoot = false;
	    if (ctx.atKey)
	        ctx.atKey = false;
	    let offset = fc.offset + fc.start.source.length;
	    for (let i = 0; i < fc.items.length; ++i) {
	        const collItem = fc.items[i];
	        const { start, key, sep, value } = collItem;
	        const props = resolveProps.resolveProps(start, {
	            flow: fcName,
	            indicator: 'explicit-key-ind',
	            next: key ?? sep?.[0],
	            offset,
	            onError,
	            parentIndent: fc.indent,
	            startOnNewline: false
	        });
	        if (!props.found) {
	            if (!props.anchor && !props.tag && !sep && !value) {
	                if (i === 0 && props.comma)
	                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
	                else if (i < fc.items.length - 1)
	                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
	                if (props.comment) {
	                    if (coll.comment)
	                        coll.comment += '\n' + props.comment;
	                    else
	                        coll.comment = props.comment;
	                }
	                offset = props.end;
	                continue;
	            }
	            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
	                onError(key, // checked by containsNewline()
	                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
	        }
	        if (i === 0) {
	            if (props.comma)
	                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
	        }
	        else {
	            if (!props.comma)
	                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
	            if (props.comment) {
	                let prevItemComment = '';
	                loop: for (const st of start) {
	                    switch (st.type) {
	                        case 'comma':
	                        case 'space':
	                            break;
	                        case 'comment':
	                            prevItemComment = st.source.substring(1);
	                            break loop;
	                        default:
	                            break loop;
	                    }
	                }
	                if (prevItemComment) {
	                    let prev = coll.items[coll.items.length - 1];
	                    if (identity.isPair(prev))
	                        prev = prev.value ?? prev.key;
	                    if (prev.comment)
	                        prev.comment += '\n' + prevItemComment;
	                    else
	                        prev.comment = prevItemComment;
	                    props.comment = props.comment.substring(prevItemComment.length + 1);
	                }
	            }
	        }
	        if (!isMap && !sep && !props.found) {
	            // item is a value in a seq
	            // → key & sep are empty, start does not include ? or :
	            const valueNode = value
	                ? composeNode(ctx, value, props, onError)
	                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
	            coll.items.push(valueNode);
	            offset = valueNode.range[2];
	            if (isBlock(value))
	                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
	        }
	        else {
	            // item is a key+value pair
	            // key value
	            ctx.atKey = true;
	            const keyStart = props.end;
	            const keyNode = key
	                ? composeNode(ctx, key, props, onError)
	                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
	            if (isBlock(key))
	                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
	            ctx.atKey = false;
	            // value properties
	            const valueProps = resolveProps.resolveProps(sep ?? [], {
	                flow: fcName,
	                indicator: 'map-value-ind',
	                next: value,
	                offset: keyNode.range[2],
	                onError,
	                parentIndent: fc.indent,
	                startOnNewline: false
	            });
	            if (valueProps.found) {
	                if (!isMap && !props.found && ctx.options.strict) {
	                    if (sep)
	                        for (const st of sep) {
	                            if (st === valueProps.found)
	                                break;
	                            if (st.type === 'newline') {
	                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
	                                break;
	                            }
	                        }
	                    if (props.start < valueProps.found.offset - 1024)
	                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
	                }
	            }
	            else if (value) {
	                if ('source' in value && value.source?.[0] === ':')
	                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
	                else
	                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
	            }
	            // value value
	            const valueNode = value
	                ? composeNode(ctx, value, valueProps, onError)
	                : valueProps.found
	                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
	                    : null;
	            if (valueNode) {
	                if (isBlock(value))
	                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
	            }
	            else if (valueProps.comment) {
	                if (keyNode.comment)
	                    keyNode.comment += '\n' + valueProps.comment;
	                else
	                    keyNode.comment = valueProps.comment;
	            }
	            const pair = new Pair.Pair(keyNode, valueNode);
	            if (ctx.options.keepSourceTokens)
	                pair.srcToken = collItem;
	            if (isMap) {
	                const map = coll;
	                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
	                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
	                map.items.push(pair);
	            }
	            else {
	                const map = new YAMLMap.YAMLMap(ctx.schema);
	                map.flow = true;
	                map.items.push(pair);
	                const endRange = (valueNode ?? keyNode).range;
	                map.range = [keyNode.range[0], endRange[1], endRange[2]];
	                coll.items.push(map);
	            }
	            offset = valueNode ? valueNode.range[2] : valueProps.end;
	        }
	    }
	    const expectedEnd = isMap ? '}' : ']';
	    const [ce, ...ee] = fc.end;
	    let cePos = offset;
	    if (ce?.source === expectedEnd)
	        cePos = ce.offset + ce.source.length;
	    else {
	        const name = fcName[0].toUpperCase() + fcName.substring(1);
	        const msg = atRoot
	            ? `${name} must end with a ${expectedEnd}`
	            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
	        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
	        if (ce && ce.source.length !== 1)
	            ee.unshift(ce);
	    }
	    if (ee.length > 0) {
	        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
	        if (end.comment) {
	            if (coll.comment)
	                coll.comment += '\n' + end.comment;
	            else
	                coll.comment = end.comment;
	        }
	        coll.range = [fc.offset, cePos, end.offset];
	    }
	    else {
	        coll.range = [fc.offset, cePos, cePos];
	    }
	    return coll;
	}

	resolveFlowCollection.resolveFlowCollection = resolveFlowCollection$1;
	return resolveFlowCollection;
}

var hasRequiredComposeCollection;

function requireComposeCollection () {
	if (hasRequiredComposeCollection) return composeCollection;
	hasRequiredComposeCollection = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var resolveBlockMap = requireResolveBlockMap();
	var resolveBlockSeq = requireResolveBlockSeq();
	var resolveFlowCollection = requireResolveFlowCollection();

	function resolveCollection(CN, ctx, token, onError, tagName, tag) {
	    const coll = token.type === 'block-map'
	        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
	        : token.type === 'block-seq'
	            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
	            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
	    const Coll = coll.constructor;
	    // If we got a tagName matching the class, or the tag name is '!',
	    // then use the tagName from the node class used to create it.
	    if (tagName === '!' || tagName === Coll.tagName) {
	        coll.tag = Coll.tagName;
	        return coll;
	    }
	    if (tagName)
	        coll.tag = tagName;
	    return coll;
	}
	function composeCollection$1(CN, ctx, token, props, onError) {
	    const tagToken = props.tag;
	    const tagName = !tagToken
	        ? null
	        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
	    if (token.type === 'block-seq') {
	        const { anchor, newlineAfterProp: nl } = props;
	        const lastProp = anchor && tagToken
	            ? anchor.offset > tagToken.offset
	                ? anchor
	                : tagToken
	            : (anchor ?? tagToken);
	        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
	            const message = 'Missing newline after block sequence props';
	            onError(lastProp, 'MISSING_CHAR', message);
	        }
	    }
	    const expType = token.type === 'block-map'
	        ? 'map'
	        : token.type === 'block-seq'
	            ? 'seq'
	            : token.start.source === '{'
	                ? 'map'
	                : 'seq';
	    // shortcut: check if it's a generic YAMLMap or YAMLSeq
	    // before jumping into the custom tag logic.
	    if (!tagToken ||
	        !tagName ||
	        tagName === '!' ||
	        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
	        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
	        return resolveCollection(CN, ctx, token, onError, tagName);
	    }
	    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
	    if (!tag) {
	        const kt = ctx.schema.knownTags[tagName];
	        if (kt?.collection === expType) {
	            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
	            tag = kt;
	        }
	        else {
	            if (kt) {
	                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
	            }
	            else {
	                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
	            }
	            return resolveCollection(CN, ctx, token, onError, tagName);
	        }
	    }
	    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
	    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
	    const node = identity.isNode(res)
	        ? res
	        : new Scalar.Scalar(res);
	    node.range = coll.range;
	    node.tag = tagName;
	    if (tag?.format)
	        node.format = tag.format;
	    return node;
	}

	composeCollection.composeCollection = composeCollection$1;
	return composeCollection;
}

var composeScalar = {};

var resolveBlockScalar = {};

var hasRequiredResolveBlockScalar;

function requireResolveBlockScalar () {
	if (hasRequiredResolveBlockScalar) return resolveBlockScalar;
	hasRequiredResolveBlockScalar = 1;

	var Scalar = requireScalar();

	function resolveBlockScalar$1(ctx, scalar, onError) {
	    const start = scalar.offset;
	    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
	    if (!header)
	        return { value: '', type: null, comment: '', range: [start, start, start] };
	    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
	    const lines = scalar.source ? splitLines(scalar.source) : [];
	    // determine the end of content & start of chomping
	    let chompStart = lines.length;
	    for (let i = lines.length - 1; i >= 0; --i) {
	        const content = lines[i][1];
	        if (content === '' || content === '\r')
	            chompStart = i;
	        else
	            break;
	    }
	    // shortcut for empty contents
	    if (chompStart === 0) {
	        const value = header.chomp === '+' && lines.length > 0
	            ? '\n'.repeat(Math.max(1, lines.length - 1))
	            : '';
	        let end = start + header.length;
	        if (scalar.source)
	            end += scalar.source.length;
	        return { value, type, comment: header.comment, range: [start, end, end] };
	    }
	    // find the indentation level to trim from start
	    let trimIndent = scalar.indent + header.indent;
	    let offset = scalar.offset + header.length;
	    let contentStart = 0;
	    for (let i = 0; i < chompStart; ++i) {
	        const [indent, content] = lines[i];
	        if (content === '' || content === '\r') {
	            if (header.indent === 0 && indent.length > trimIndent)
	                trimIndent = indent.length;
	        }
	        else {
	            if (indent.length < trimIndent) {
	                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
	                onError(offset + indent.length, 'MISSING_CHAR', message);
	            }
	            if (header.indent === 0)
	                trimIndent = indent.length;
	            contentStart = i;
	            if (trimIndent === 0 && !ctx.atRoot) {
	                const message = 'Block scalar values in collections must be indented';
	                onError(offset, 'BAD_INDENT', message);
	            }
	            break;
	        }
	        offset += indent.length + content.length + 1;
	    }
	    // include trailing more-indented empty lines in content
	    for (let i = lines.length - 1; i >= chompStart; --i) {
	        if (lines[i][0].length > trimIndent)
	            chompStart = i + 1;
	    }
	    let value = '';
	    let sep = '';
	    let prevMoreIndented = false;
	    // leading whitespace is kept intact
	    for (let i = 0; i < contentStart; ++i)
	        value += lines[i][0].slice(trimIndent) + '\n';
	    for (let i = contentStart; i < chompStart; ++i) {
	        let [indent, content] = lines[i];
	        offset += indent.length + content.length + 1;
	        const crlf = content[content.length - 1] === '\r';
	        if (crlf)
	            content = content.slice(0, -1);
	        /* istanbul ignore if already caught in lexer */
	        if (content && indent.length < trimIndent) {
	            const src = header.indent
	                ? 'explicit indentation indicator'
	                : 'first line';
	            const message = `Block scalar lines must not be less indented than their ${src}`;
	            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
	            indent = '';
	        }
	        if (type === Scalar.Scalar.BLOCK_LITERAL) {
	            value += sep + indent.slice(trimIndent) + content;
	            sep = '\n';
	        }
	        else if (indent.length > trimIndent || content[0] === '\t') {
	            // more-indented content within a folded block
	            if (sep === ' ')
	                sep = '\n';
	            else if (!prevMoreIndented && sep === '\n')
	                sep = '\n\n';
	            value += sep + indent.slice(trimIndent) + content;
	            sep = '\n';
	            prevMoreIndented = true;
	        }
	        else if (content === '') {
	            // empty line
	            if (sep === '\n')
	                value += '\n';
	            else
	                sep = '\n';
	        }
	        else {
	            value += sep + content;
	            sep = ' ';
	            prevMoreIndented = false;
	        }
	    }
	    switch (header.chomp) {
	        case '-':
	            break;
	        case '+':
	            for (let i = chompStart; i < lines.length; ++i)
	                value += '\n' + lines[i][0].slice(trimIndent);
	            if (value[value.length - 1] !== '\n')
	                value += '\n';
	            break;
	        default:
	            value += '\n';
	    }
	    const end = start + header.length + scalar.source.length;
	    return { value, type, comment: header.comment, range: [start, end, end] };
	}
	function parseBlockScalarHeader({ offset, props }, strict, onError) {
	    /* istanbul ignore if should not happen */
	    if (props[0].type !== 'block-scalar-header') {
	        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
	        return null;
	    }
	    const { source } = props[0];
	    const mode = source[0];
	    let indent = 0;
	    let chomp = '';
	    let error = -1;
	    for (let i = 1; i < source.length; ++i) {
	        const ch = source[i];
	        if (!chomp && (ch === '-' || ch === '+'))
	            chomp = ch;
	        else {
	            const n = Number(ch);
	            if (!indent && n)
	                indent = n;
	            else if (error === -1)
	                error = offset + i;
	        }
	    }
	    if (error !== -1)
	        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
	    let hasSpace = false;
	    let comment = '';
	    let length = source.length;
	    for (let i = 1; i < props.length; ++i) {
	        const token = props[i];
	        switch (token.type) {
	            case 'space':
	                hasSpace = true;
	            // fallthrough
	            case 'newline':
	                length += token.source.length;
	                break;
	            case 'comment':
	                if (strict && !hasSpace) {
	                    const message = 'Comments must be separated from other tokens by white space characters';
	                    onError(token, 'MISSING_CHAR', message);
	                }
	                length += token.source.length;
	                comment = token.source.substring(1);
	                break;
	            case 'error':
	                onError(token, 'UNEXPECTED_TOKEN', token.message);
	                length += token.source.length;
	                break;
	            /* istanbul ignore next should not happen */
	            default: {
	                const message = `Unexpected token in block scalar header: ${token.type}`;
	                onError(token, 'UNEXPECTED_TOKEN', message);
	                const ts = token.source;
	                if (ts && typeof ts === 'string')
	                    length += ts.length;
	            }
	        }
	    }
	    return { mode, indent, chomp, comment, length };
	}
	/** @returns Array of lines split up as `[indent, content]` */
	function splitLines(source) {
	    const split = source.split(/\n( *)/);
	    const first = split[0];
	    const m = first.match(/^( *)/);
	    const line0 = m?.[1]
	        ? [m[1], first.slice(m[1].length)]
	        : ['', first];
	    const lines = [line0];
	    for (let i = 1; i < split.length; i += 2)
	        lines.push([split[i], split[i + 1]]);
	    return lines;
	}

	resolveBlockScalar.resolveBlockScalar = resolveBlockScalar$1;
	return resolveBlockScalar;
}

var resolveFlowScalar = {};

var hasRequiredResolveFlowScalar;

function requireResolveFlowScalar () {
	if (hasRequiredResolveFlowScalar) return resolveFlowScalar;
	hasRequiredResolveFlowScalar = 1;

	var Scalar = requireScalar();
	var resolveEnd = requireResolveEnd();

	function resolveFlowScalar$1(scalar, strict, onError) {
	    const { offset, type, source, end } = scalar;
	    let _type;
	    let value;
	    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
	    switch (type) {
	        case 'scalar':
	            _type = Scalar.Scalar.PLAIN;
	            value = plainValue(source, _onError);
	            break;
	        case 'single-quoted-scalar':
	            _type = Scalar.Scalar.QUOTE_SINGLE;
	            value = singleQuotedValue(source, _onError);
	            break;
	        case 'double-quoted-scalar':
	            _type = Scalar.Scalar.QUOTE_DOUBLE;
	            value = doubleQuotedValue(source, _onError);
	            break;
	        /* istanbul ignore next should not happen */
	        default:
	            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
	            return {
	                value: '',
	                type: null,
	                comment: '',
	                range: [offset, offset + source.length, offset + source.length]
	            };
	    }
	    const valueEnd = offset + source.length;
	    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
	    return {
	        value,
	        type: _type,
	        comment: re.comment,
	        range: [offset, valueEnd, re.offset]
	    };
	}
	function plainValue(source, onError) {
	    let badChar = '';
	    switch (source[0]) {
	        /* istanbul ignore next should not happen */
	        case '\t':
	            badChar = 'a tab character';
	            break;
	        case ',':
	            badChar = 'flow indicator character ,';
	            break;
	        case '%':
	            badChar = 'directive indicator character %';
	            break;
	        case '|':
	        case '>': {
	            badChar = `block scalar indicator ${source[0]}`;
	            break;
	        }
	        case '@':
	        case '`': {
	            badChar = `reserved character ${source[0]}`;
	            break;
	        }
	    }
	    if (badChar)
	        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
	    return unfoldLines(source);
	}
	function singleQuotedValue(source, onError) {
	    if (source[source.length - 1] !== "'" || source.length === 1)
	        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
	    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
	}
	function unfoldLines(source) {
	    const line = /(.*?)\r?\n/sy;
	    let match = line.exec(source);
	    if (!match)
	        return source;
	    /**
	     * The negative lookbehinds in these RegExps are to
	     * prevent causing a polynomial search time in certain cases.
	     *
	     * The try-catch is for Safari < 16.4 and other old browsers:
	     * https://caniuse.com/js-regexp-lookbehind
	     */
	    let trimEnd, trimBoth;
	    try {
	        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
	        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
	    }
	    catch {
	        trimEnd = /[ \t]+$/;
	        trimBoth = /^[ \t]+|[ \t]+$/g;
	    }
	    let res = match[1].replace(trimEnd, '');
	    let sep = ' ';
	    let pos = line.lastIndex;
	    while ((match = line.exec(source))) {
	        const lm = match[1].replace(trimBoth, '');
	        if (lm === '') {
	            if (sep === '\n')
	                res += sep;
	            else
	                sep = '\n';
	        }
	        else {
	            res += sep + lm;
	            sep = ' ';
	        }
	        pos = line.lastIndex;
	    }
	    const last = /[ \t]*(.*)/sy;
	    last.lastIndex = pos;
	    match = last.exec(source);
	    return res + sep + (match?.[1] ?? '');
	}
	function doubleQuotedValue(source, onError) {
	    let res = '';
	    for (let i = 1; i < source.length - 1; ++i) {
	        const ch = source[i];
	        if (ch === '\r' && source[i + 1] === '\n')
	            continue;
	        if (ch === '\n') {
	            const { fold, offset } = foldNewline(source, i);
	            res += fold;
	            i = offset;
	        }
	        else if (ch === '\\') {
	            let next = source[++i];
	            const cc = escapeCodes[next];
	            if (cc)
	                res += cc;
	            else if (next === '\n') {
	                // skip escaped newlines, but still trim the following line
	                next = source[i + 1];
	                while (next === ' ' || next === '\t')
	                    next = source[++i + 1];
	            }
	            else if (next === '\r' && source[i + 1] === '\n') {
	                // skip escaped CRLF newlines, but still trim the following line
	                next = source[++i + 1];
	                while (next === ' ' || next === '\t')
	                    next = source[++i + 1];
	            }
	            else if (next === 'x' || next === 'u' || next === 'U') {
	                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
	                res += parseCharCode(source, i + 1, length, onError);
	                i += length;
	            }
	            else {
	                const raw = source.substr(i - 1, 2);
	                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
	                res += raw;
	            }
	        }
	        else if (ch === ' ' || ch === '\t') {
	            // trim trailing whitespace
	            const wsStart = i;
	            let next = source[i + 1];
	            while (next === ' ' || next === '\t')
	                next = source[++i + 1];
	            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
	                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
	        }
	        else {
	            res += ch;
	        }
	    }
	    if (source[source.length - 1] !== '"' || source.length === 1)
	        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
	    return res;
	}
	/**
	 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
	 * Presumes `source[offset] === '\n'`
	 */
	function foldNewline(source, offset) {
	    let fold = '';
	    let ch = source[offset + 1];
	    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
	        if (ch === '\r' && source[offset + 2] !== '\n')
	            break;
	        if (ch === '\n')
	            fold += '\n';
	        offset += 1;
	        ch = source[offset + 1];
	    }
	    if (!fold)
	        fold = ' ';
	    return { fold, offset };
	}
	const escapeCodes = {
	    '0': '\0', // null character
	    a: '\x07', // bell character
	    b: '\b', // backspace
	    e: '\x1b', // escape character
	    f: '\f', // form feed
	    n: '\n', // line feed
	    r: '\r', // carriage return
	    t: '\t', // horizontal tab
	    v: '\v', // vertical tab
	    N: '\u0085', // Unicode next line
	    _: '\u00a0', // Unicode non-breaking space
	    L: '\u2028', // Unicode line separator
	    P: '\u2029', // Unicode paragraph separator
	    ' ': ' ',
	    '"': '"',
	    '/': '/',
	    '\\': '\\',
	    '\t': '\t'
	};
	function parseCharCode(source, offset, length, onError) {
	    const cc = source.substr(offset, length);
	    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
	    const code = ok ? parseInt(cc, 16) : NaN;
	    try {
	        return String.fromCodePoint(code);
	    }
	    catch {
	        const raw = source.substr(offset - 2, length + 2);
	        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
	        return raw;
	    }
	}

	resolveFlowScalar.resolveFlowScalar = resolveFlowScalar$1;
	return resolveFlowScalar;
}

var hasRequiredComposeScalar;

function requireComposeScalar () {
	if (hasRequiredComposeScalar) return composeScalar;
	hasRequiredComposeScalar = 1;

	var identity = requireIdentity();
	var Scalar = requireScalar();
	var resolveBlockScalar = requireResolveBlockScalar();
	var resolveFlowScalar = requireResolveFlowScalar();

	function composeScalar$1(ctx, token, tagToken, onError) {
	    const { value, type, comment, range } = token.type === 'block-scalar'
	        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
	        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
	    const tagName = tagToken
	        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
	        : null;
	    let tag;
	    if (ctx.options.stringKeys && ctx.atKey) {
	        tag = ctx.schema[identity.SCALAR];
	    }
	    else if (tagName)
	        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
	    else if (token.type === 'scalar')
	        tag = findScalarTagByTest(ctx, value, token, onError);
	    else
	        tag = ctx.schema[identity.SCALAR];
	    let scalar;
	    try {
	        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
	        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
	    }
	    catch (error) {
	        const msg = error instanceof Error ? error.message : String(error);
	        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
	        scalar = new Scalar.Scalar(value);
	    }
	    scalar.range = range;
	    scalar.source = value;
	    if (type)
	        scalar.type = type;
	    if (tagName)
	        scalar.tag = tagName;
	    if (tag.format)
	        scalar.format = tag.format;
	    if (comment)
	        scalar.comment = comment;
	    return scalar;
	}
	function findScalarTagByName(schema, value, tagName, tagToken, onError) {
	    if (tagName === '!')
	        return schema[identity.SCALAR]; // non-specific tag
	    const matchWithTest = [];
	    for (const tag of schema.tags) {
	        if (!tag.collection && tag.tag === tagName) {
	            if (tag.default && tag.test)
	                matchWithTest.push(tag);
	            else
	                return tag;
	        }
	    }
	    for (const tag of matchWithTest)
	        if (tag.test?.test(value))
	            return tag;
	    const kt = schema.knownTags[tagName];
	    if (kt && !kt.collection) {
	        // Ensure that the known tag is available for stringifying,
	        // but does not get used by default.
	        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
	        return kt;
	    }
	    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
	    return schema[identity.SCALAR];
	}
	function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
	    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
	        tag.test?.test(value)) || schema[identity.SCALAR];
	    if (schema.compat) {
	        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
	            schema[identity.SCALAR];
	        if (tag.tag !== compat.tag) {
	            const ts = directives.tagString(tag.tag);
	            const cs = directives.tagString(compat.tag);
	            const msg = `Value may be parsed as either ${ts} or ${cs}`;
	            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
	        }
	    }
	    return tag;
	}

	composeScalar.composeScalar = composeScalar$1;
	return composeScalar;
}

var utilEmptyScalarPosition = {};

var hasRequiredUtilEmptyScalarPosition;

function requireUtilEmptyScalarPosition () {
	if (hasRequiredUtilEmptyScalarPosition) return utilEmptyScalarPosition;
	hasRequiredUtilEmptyScalarPosition = 1;

	function emptyScalarPosition(offset, before, pos) {
	    if (before) {
	        pos ?? (pos = before.length);
	        for (let i = pos - 1; i >= 0; --i) {
	            let st = before[i];
	            switch (st.type) {
	                case 'space':
	                case 'comment':
	                case 'newline':
	                    offset -= st.source.length;
	                    continue;
	            }
	            // Technically, an empty scalar is immediately after the last non-empty
	            // node, but it's more useful to place it after any whitespace.
	            st = before[++i];
	            while (st?.type === 'space') {
	                offset += st.source.length;
	                st = before[++i];
	            }
	            break;
	        }
	    }
	    return offset;
	}

	utilEmptyScalarPosition.emptyScalarPosition = emptyScalarPosition;
	return utilEmptyScalarPosition;
}

var hasRequiredComposeNode;

function requireComposeNode () {
	if (hasRequiredComposeNode) return composeNode;
	hasRequiredComposeNode = 1;

	var Alias = requireAlias();
	var identity = requireIdentity();
	var composeCollection = requireComposeCollection();
	var composeScalar = requireComposeScalar();
	var resolveEnd = requireResolveEnd();
	var utilEmptyScalarPosition = requireUtilEmptyScalarPosition();

	const CN = { composeNode: composeNode$1, composeEmptyNode };
	function composeNode$1(ctx, token, props, onError) {
	    const atKey = ctx.atKey;
	    const { spaceBefore, comment, anchor, tag } = props;
	    let node;
	    let isSrcToken = true;
	    switch (token.type) {
	        case 'alias':
	            node = composeAlias(ctx, token, onError);
	            if (anchor || tag)
	                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
	            break;
	        case 'scalar':
	        case 'single-quoted-scalar':
	        case 'double-quoted-scalar':
	        case 'block-scalar':
	            node = composeScalar.composeScalar(ctx, token, tag, onError);
	            if (anchor)
	                node.anchor = anchor.source.substring(1);
	            break;
	        case 'block-map':
	        case 'block-seq':
	        case 'flow-collection':
	            try {
	                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
	                if (anchor)
	                    node.anchor = anchor.source.substring(1);
	            }
	            catch (error) {
	                // Almost certainly here due to a stack overflow
	                const message = error instanceof Error ? error.message : String(error);
	                onError(token, 'RESOURCE_EXHAUSTION', message);
	            }
	            break;
	        default: {
	            const message = token.type === 'error'
	                ? token.message
	                : `Unsupported token (type: ${token.type})`;
	            onError(token, 'UNEXPECTED_TOKEN', message);
	            isSrcToken = false;
	        }
	    }
	    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
	    if (anchor && node.anchor === '')
	        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
	    if (atKey &&
	        ctx.options.stringKeys &&
	        (!identity.isScalar(node) ||
	            typeof node.value !== 'string' ||
	            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
	        const msg = 'With stringKeys, all keys must be strings';
	        onError(tag ?? token, 'NON_STRING_KEY', msg);
	    }
	    if (spaceBefore)
	        node.spaceBefore = true;
	    if (comment) {
	        if (token.type === 'scalar' && token.source === '')
	            node.comment = comment;
	        else
	            node.commentBefore = comment;
	    }
	    // @ts-expect-error Type checking misses meaning of isSrcToken
	    if (ctx.options.keepSourceTokens && isSrcToken)
	        node.srcToken = token;
	    return node;
	}
	function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
	    const token = {
	        type: 'scalar',
	        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
	        indent: -1,
	        source: ''
	    };
	    const node = composeScalar.composeScalar(ctx, token, tag, onError);
	    if (anchor) {
	        node.anchor = anchor.source.substring(1);
	        if (node.anchor === '')
	            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
	    }
	    if (spaceBefore)
	        node.spaceBefore = true;
	    if (comment) {
	        node.comment = comment;
	        node.range[2] = end;
	    }
	    return node;
	}
	function composeAlias({ options }, { offset, source, end }, onError) {
	    const alias = new Alias.Alias(source.substring(1));
	    if (alias.source === '')
	        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
	    if (alias.source.endsWith(':'))
	        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
	    const valueEnd = offset + source.length;
	    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
	    alias.range = [offset, valueEnd, re.offset];
	    if (re.comment)
	        alias.comment = re.comment;
	    return alias;
	}

	composeNode.composeEmptyNode = composeEmptyNode;
	composeNode.composeNode = composeNode$1;
	return composeNode;
}

var hasRequiredComposeDoc;

function requireComposeDoc () {
	if (hasRequiredComposeDoc) return composeDoc;
	hasRequiredComposeDoc = 1;

	var Document = requireDocument();
	var composeNode = requireComposeNode();
	var resolveEnd = requireResolveEnd();
	var resolveProps = requireResolveProps();

	function composeDoc$1(options, directives, { offset, start, value, end }, onError) {
	    const opts = Object.assign({ _directives: directives }, options);
	    const doc = new Document.Document(undefined, opts);
	    const ctx = {
	        atKey: false,
	        atRoot: true,
	        directives: doc.directives,
	        options: doc.options,
	        schema: doc.schema
	    };
	    const props = resolveProps.resolveProps(start, {
	        indicator: 'doc-start',
	        next: value ?? end?.[0],
	        offset,
	        onError,
	        parentIndent: 0,
	        startOnNewline: true
	    });
	    if (props.found) {
	        doc.directives.docStart = true;
	        if (value &&
	            (value.type === 'block-map' || value.type === 'block-seq') &&
	            !props.hasNewline)
	            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
	    }
	    // @ts-expect-error If Contents is set, let's trust the user
	    doc.contents = value
	        ? composeNode.composeNode(ctx, value, props, onError)
	        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
	    const contentEnd = doc.contents.range[2];
	    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
	    if (re.comment)
	        doc.comment = re.comment;
	    doc.range = [offset, contentEnd, re.offset];
	    return doc;
	}

	composeDoc.composeDoc = composeDoc$1;
	return composeDoc;
}

var hasRequiredComposer;

function requireComposer () {
	if (hasRequiredComposer) return composer;
	hasRequiredComposer = 1;

	var node_process = require$$0$1;
	var directives = requireDirectives();
	var Document = requireDocument();
	var errors = requireErrors$1();
	var identity = requireIdentity();
	var composeDoc = requireComposeDoc();
	var resolveEnd = requireResolveEnd();

	function getErrorPos(src) {
	    if (typeof src === 'number')
	        return [src, src + 1];
	    if (Array.isArray(src))
	        return src.length === 2 ? src : [src[0], src[1]];
	    const { offset, source } = src;
	    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
	}
	function parsePrelude(prelude) {
	    let comment = '';
	    let atComment = false;
	    let afterEmptyLine = false;
	    for (let i = 0; i < prelude.length; ++i) {
	        const source = prelude[i];
	        switch (source[0]) {
	            case '#':
	                comment +=
	                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
	                        (source.substring(1) || ' ');
	                atComment = true;
	                afterEmptyLine = false;
	                break;
	            case '%':
	                if (prelude[i + 1]?.[0] !== '#')
	                    i += 1;
	                atComment = false;
	                break;
	            default:
	                // This may be wrong after doc-end, but in that case it doesn't matter
	                if (!atComment)
	                    afterEmptyLine = true;
	                atComment = false;
	        }
	    }
	    return { comment, afterEmptyLine };
	}
	/**
	 * Compose a stream of CST nodes into a stream of YAML Documents.
	 *
	 * ```ts
	 * import { Composer, Parser } from 'yaml'
	 *
	 * const src: string = ...
	 * const tokens = new Parser().parse(src)
	 * const docs = new Composer().compose(tokens)
	 * ```
	 */
	class Composer {
	    constructor(options = {}) {
	        this.doc = null;
	        this.atDirectives = false;
	        this.prelude = [];
	        this.errors = [];
	        this.warnings = [];
	        this.onError = (source, code, message, warning) => {
	            const pos = getErrorPos(source);
	            if (warning)
	                this.warnings.push(new errors.YAMLWarning(pos, code, message));
	            else
	                this.errors.push(new errors.YAMLParseError(pos, code, message));
	        };
	        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	        this.directives = new directives.Directives({ version: options.version || '1.2' });
	        this.options = options;
	    }
	    decorate(doc, afterDoc) {
	        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
	        //console.log({ dc: doc.comment, prelude, comment })
	        if (comment) {
	            const dc = doc.contents;
	            if (afterDoc) {
	                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
	            }
	            else if (afterEmptyLine || doc.directives.docStart || !dc) {
	                doc.commentBefore = comment;
	            }
	            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
	                let it = dc.items[0];
	                if (identity.isPair(it))
	                    it = it.key;
	                const cb = it.commentBefore;
	                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
	            }
	            else {
	                const cb = dc.commentBefore;
	                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
	            }
	        }
	        if (afterDoc) {
	            for (let i = 0; i < this.errors.length; ++i)
	                doc.errors.push(this.errors[i]);
	            for (let i = 0; i < this.warnings.length; ++i)
	                doc.warnings.push(this.warnings[i]);
	        }
	        else {
	            doc.errors = this.errors;
	            doc.warnings = this.warnings;
	        }
	        this.prelude = [];
	        this.errors = [];
	        this.warnings = [];
	    }
	    /**
	     * Current stream status information.
	     *
	     * Mostly useful at the end of input for an empty stream.
	     */
	    streamInfo() {
	        return {
	            comment: parsePrelude(this.prelude).comment,
	            directives: this.directives,
	            errors: this.errors,
	            warnings: this.warnings
	        };
	    }
	    /**
	     * Compose tokens into documents.
	     *
	     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
	     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
	     */
	    *compose(tokens, forceDoc = false, endOffset = -1) {
	        for (const token of tokens)
	            yield* this.next(token);
	        yield* this.end(forceDoc, endOffset);
	    }
	    /** Advance the composer by one CST token. */
	    *next(token) {
	        if (node_process.env.LOG_STREAM)
	            console.dir(token, { depth: null });
	        switch (token.type) {
	            case 'directive':
	                this.directives.add(token.source, (offset, message, warning) => {
	                    const pos = getErrorPos(token);
	                    pos[0] += offset;
	                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
	                });
	                this.prelude.push(token.source);
	                this.atDirectives = true;
	                break;
	            case 'document': {
	                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
	                if (this.atDirectives && !doc.directives.docStart)
	                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
	                this.decorate(doc, false);
	                if (this.doc)
	                    yield this.doc;
	                this.doc = doc;
	                this.atDirectives = false;
	                break;
	            }
	            case 'byte-order-mark':
	            case 'space':
	                break;
	            case 'comment':
	            case 'newline':
	                this.prelude.push(token.source);
	                break;
	            case 'error': {
	                const msg = token.source
	                    ? `${token.message}: ${JSON.stringify(token.source)}`
	                    : token.message;
	                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
	                if (this.atDirectives || !this.doc)
	                    this.errors.push(error);
	                else
	                    this.doc.errors.push(error);
	                break;
	            }
	            case 'doc-end': {
	                if (!this.doc) {
	                    const msg = 'Unexpected doc-end without preceding document';
	                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
	                    break;
	                }
	                this.doc.directives.docEnd = true;
	                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
	                this.decorate(this.doc, true);
	                if (end.comment) {
	                    const dc = this.doc.comment;
	                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
	                }
	                this.doc.range[2] = end.offset;
	                break;
	            }
	            default:
	                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
	        }
	    }
	    /**
	     * Call at end of input to yield any remaining document.
	     *
	     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
	     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
	     */
	    *end(forceDoc = false, endOffset = -1) {
	        if (this.doc) {
	            this.decorate(this.doc, true);
	            yield this.doc;
	            this.doc = null;
	        }
	        else if (forceDoc) {
	            const opts = Object.assign({ _directives: this.directives }, this.options);
	            const doc = new Document.Document(undefined, opts);
	            if (this.atDirectives)
	                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
	            doc.range = [0, endOffset, endOffset];
	            this.decorate(doc, false);
	            yield doc;
	        }
	    }
	}

	composer.Composer = Composer;
	return composer;
}

var cst = {};

var cstScalar = {};

var hasRequiredCstScalar;

function requireCstScalar () {
	if (hasRequiredCstScalar) return cstScalar;
	hasRequiredCstScalar = 1;

	var resolveBlockScalar = requireResolveBlockScalar();
	var resolveFlowScalar = requireResolveFlowScalar();
	var errors = requireErrors$1();
	var stringifyString = requireStringifyString();

	function resolveAsScalar(token, strict = true, onError) {
	    if (token) {
	        const _onError = (pos, code, message) => {
	            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
	            if (onError)
	                onError(offset, code, message);
	            else
	                throw new errors.YAMLParseError([offset, offset + 1], code, message);
	        };
	        switch (token.type) {
	            case 'scalar':
	            case 'single-quoted-scalar':
	            case 'double-quoted-scalar':
	                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
	            case 'block-scalar':
	                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
	        }
	    }
	    return null;
	}
	/**
	 * Create a new scalar token with `value`
	 *
	 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
	 * as this function does not support any schema operations and won't check for such conflicts.
	 *
	 * @param value The string representation of the value, which will have its content properly indented.
	 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
	 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
	 * @param context.indent The indent level of the token.
	 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
	 * @param context.offset The offset position of the token.
	 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
	 */
	function createScalarToken(value, context) {
	    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
	    const source = stringifyString.stringifyString({ type, value }, {
	        implicitKey,
	        indent: indent > 0 ? ' '.repeat(indent) : '',
	        inFlow,
	        options: { blockQuote: true, lineWidth: -1 }
	    });
	    const end = context.end ?? [
	        { type: 'newline', offset: -1, indent, source: '\n' }
	    ];
	    switch (source[0]) {
	        case '|':
	        case '>': {
	            const he = source.indexOf('\n');
	            const head = source.substring(0, he);
	            const body = source.substring(he + 1) + '\n';
	            const props = [
	                { type: 'block-scalar-header', offset, indent, source: head }
	            ];
	            if (!addEndtoBlockProps(props, end))
	                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
	            return { type: 'block-scalar', offset, indent, props, source: body };
	        }
	        case '"':
	            return { type: 'double-quoted-scalar', offset, indent, source, end };
	        case "'":
	            return { type: 'single-quoted-scalar', offset, indent, source, end };
	        default:
	            return { type: 'scalar', offset, indent, source, end };
	    }
	}
	/**
	 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
	 *
	 * Best efforts are made to retain any comments previously associated with the `token`,
	 * though all contents within a collection's `items` will be overwritten.
	 *
	 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
	 * as this function does not support any schema operations and won't check for such conflicts.
	 *
	 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
	 * @param value The string representation of the value, which will have its content properly indented.
	 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
	 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
	 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
	 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
	 */
	function setScalarValue(token, value, context = {}) {
	    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
	    let indent = 'indent' in token ? token.indent : null;
	    if (afterKey && typeof indent === 'number')
	        indent += 2;
	    if (!type)
	        switch (token.type) {
	            case 'single-quoted-scalar':
	                type = 'QUOTE_SINGLE';
	                break;
	            case 'double-quoted-scalar':
	                type = 'QUOTE_DOUBLE';
	                break;
	            case 'block-scalar': {
	                const header = token.props[0];
	                if (header.type !== 'block-scalar-header')
	                    throw new Error('Invalid block scalar header');
	                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
	                break;
	            }
	            default:
	                type = 'PLAIN';
	        }
	    const source = stringifyString.stringifyString({ type, value }, {
	        implicitKey: implicitKey || indent === null,
	        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
	        inFlow,
	        options: { blockQuote: true, lineWidth: -1 }
	    });
	    switch (source[0]) {
	        case '|':
	        case '>':
	            setBlockScalarValue(token, source);
	            break;
	        case '"':
	            setFlowScalarValue(token, source, 'double-quoted-scalar');
	            break;
	        case "'":
	            setFlowScalarValue(token, source, 'single-quoted-scalar');
	            break;
	        default:
	            setFlowScalarValue(token, source, 'scalar');
	    }
	}
	function setBlockScalarValue(token, source) {
	    const he = source.indexOf('\n');
	    const head = source.substring(0, he);
	    const body = source.substring(he + 1) + '\n';
	    if (token.type === 'block-scalar') {
	        const header = token.props[0];
	        if (header.type !== 'block-scalar-header')
	            throw new Error('Invalid block scalar header');
	        header.source = head;
	        token.source = body;
	    }
	    else {
	        const { offset } = token;
	        const indent = 'indent' in token ? token.indent : -1;
	        const props = [
	            { type: 'block-scalar-header', offset, indent, source: head }
	        ];
	        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
	            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
	        for (const key of Object.keys(token))
	            if (key !== 'type' && key !== 'offset')
	                delete token[key];
	        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
	    }
	}
	/** @returns `true` if last token is a newline */
	function addEndtoBlockProps(props, end) {
	    if (end)
	        for (const st of end)
	            switch (st.type) {
	                case 'space':
	                case 'comment':
	                    props.push(st);
	                    break;
	                case 'newline':
	                    props.push(st);
	                    return true;
	            }
	    return false;
	}
	function setFlowScalarValue(token, source, type) {
	    switch (token.type) {
	        case 'scalar':
	        case 'double-quoted-scalar':
	        case 'single-quoted-scalar':
	            token.type = type;
	            token.source = source;
	            break;
	        case 'block-scalar': {
	            const end = token.props.slice(1);
	            let oa = source.length;
	            if (token.props[0].type === 'block-scalar-header')
	                oa -= token.props[0].source.length;
	            for (const tok of end)
	                tok.offset += oa;
	            delete token.props;
	            Object.assign(token, { type, source, end });
	            break;
	        }
	        case 'block-map':
	        case 'block-seq': {
	            const offset = token.offset + source.length;
	            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
	            delete token.items;
	            Object.assign(token, { type, source, end: [nl] });
	            break;
	        }
	        default: {
	            const indent = 'indent' in token ? token.indent : -1;
	            const end = 'end' in token && Array.isArray(token.end)
	                ? token.end.filter(st => st.type === 'space' ||
	                    st.type === 'comment' ||
	                    st.type === 'newline')
	                : [];
	            for (const key of Object.keys(token))
	                if (key !== 'type' && key !== 'offset')
	                    delete token[key];
	            Object.assign(token, { type, indent, source, end });
	        }
	    }
	}

	cstScalar.createScalarToken = createScalarToken;
	cstScalar.resolveAsScalar = resolveAsScalar;
	cstScalar.setScalarValue = setScalarValue;
	return cstScalar;
}

var cstStringify = {};

var hasRequiredCstStringify;

function requireCstStringify () {
	if (hasRequiredCstStringify) return cstStringify;
	hasRequiredCstStringify = 1;

	/**
	 * Stringify a CST document, token, or collection item
	 *
	 * Fair warning: This applies no validation whatsoever, and
	 * simply concatenates the sources in their logical order.
	 */
	const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
	function stringifyToken(token) {
	    switch (token.type) {
	        case 'block-scalar': {
	            let res = '';
	            for (const tok of token.props)
	                res += stringifyToken(tok);
	            return res + token.source;
	        }
	        case 'block-map':
	        case 'block-seq': {
	            let res = '';
	            for (const item of token.items)
	                res += stringifyItem(item);
	            return res;
	        }
	        case 'flow-collection': {
	            let res = token.start.source;
	            for (const item of token.items)
	                res += stringifyItem(item);
	            for (const st of token.end)
	                res += st.source;
	            return res;
	        }
	        case 'document': {
	            let res = stringifyItem(token);
	            if (token.end)
	                for (const st of token.end)
	                    res += st.source;
	            return res;
	        }
	        default: {
	            let res = token.source;
	            if ('end' in token && token.end)
	                for (const st of token.end)
	                    res += st.source;
	            return res;
	        }
	    }
	}
	function stringifyItem({ start, key, sep, value }) {
	    let res = '';
	    for (const st of start)
	        res += st.source;
	    if (key)
	        res += stringifyToken(key);
	    if (sep)
	        for (const st of sep)
	            res += st.source;
	    if (value)
	        res += stringifyToken(value);
	    return res;
	}

	cstStringify.stringify = stringify;
	return cstStringify;
}

var cstVisit = {};

var hasRequiredCstVisit;

function requireCstVisit () {
	if (hasRequiredCstVisit) return cstVisit;
	hasRequiredCstVisit = 1;

	const BREAK = Symbol('break visit');
	const SKIP = Symbol('skip children');
	const REMOVE = Symbol('remove item');
	/**
	 * Apply a visitor to a CST document or item.
	 *
	 * Walks through the tree (depth-first) starting from the root, calling a
	 * `visitor` function with two arguments when entering each item:
	 *   - `item`: The current item, which included the following members:
	 *     - `start: SourceToken[]` – Source tokens before the key or value,
	 *       possibly including its anchor or tag.
	 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
	 *       the key before the `:` separator is empty.
	 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
	 *       which should include the `:` map value indicator if `value` is set.
	 *     - `value?: Token` – The value of a sequence item, or of a map pair.
	 *   - `path`: The steps from the root to the current node, as an array of
	 *     `['key' | 'value', number]` tuples.
	 *
	 * The return value of the visitor may be used to control the traversal:
	 *   - `undefined` (default): Do nothing and continue
	 *   - `visit.SKIP`: Do not visit the children of this token, continue with
	 *      next sibling
	 *   - `visit.BREAK`: Terminate traversal completely
	 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
	 *   - `number`: Set the index of the next step. This is useful especially if
	 *     the index of the current token has changed.
	 *   - `function`: Define the next visitor for this item. After the original
	 *     visitor is called on item entry, next visitors are called after handling
	 *     a non-empty `key` and when exiting the item.
	 */
	function visit(cst, visitor) {
	    if ('type' in cst && cst.type === 'document')
	        cst = { start: cst.start, value: cst.value };
	    _visit(Object.freeze([]), cst, visitor);
	}
	// Without the `as symbol` casts, TS declares these in the `visit`
	// namespace using `var`, but then complains about that because
	// `unique symbol` must be `const`.
	/** Terminate visit traversal completely */
	visit.BREAK = BREAK;
	/** Do not visit the children of the current item */
	visit.SKIP = SKIP;
	/** Remove the current item */
	visit.REMOVE = REMOVE;
	/** Find the item at `path` from `cst` as the root */
	visit.itemAtPath = (cst, path) => {
	    let item = cst;
	    for (const [field, index] of path) {
	        const tok = item?.[field];
	        if (tok && 'items' in tok) {
	            item = tok.items[index];
	        }
	        else
	            return undefined;
	    }
	    return item;
	};
	/**
	 * Get the immediate parent collection of the item at `path` from `cst` as the root.
	 *
	 * Throws an error if the collection is not found, which should never happen if the item itself exists.
	 */
	visit.parentCollection = (cst, path) => {
	    const parent = visit.itemAtPath(cst, path.slice(0, -1));
	    const field = path[path.length - 1][0];
	    const coll = parent?.[field];
	    if (coll && 'items' in coll)
	        return coll;
	    throw new Error('Parent collection not found');
	};
	function _visit(path, item, visitor) {
	    let ctrl = visitor(item, path);
	    if (typeof ctrl === 'symbol')
	        return ctrl;
	    for (const field of ['key', 'value']) {
	        const token = item[field];
	        if (token && 'items' in token) {
	            for (let i = 0; i < token.items.length; ++i) {
	                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
	                if (typeof ci === 'number')
	                    i = ci - 1;
	                else if (ci === BREAK)
	                    return BREAK;
	                else if (ci === REMOVE) {
	                    token.items.splice(i, 1);
	                    i -= 1;
	                }
	            }
	            if (typeof ctrl === 'function' && field === 'key')
	                ctrl = ctrl(item, path);
	        }
	    }
	    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
	}

	cstVisit.visit = visit;
	return cstVisit;
}

var hasRequiredCst;

function requireCst () {
	if (hasRequiredCst) return cst;
	hasRequiredCst = 1;

	var cstScalar = requireCstScalar();
	var cstStringify = requireCstStringify();
	var cstVisit = requireCstVisit();

	/** The byte order mark */
	const BOM = '\u{FEFF}';
	/** Start of doc-mode */
	const DOCUMENT = '\x02'; // C0: Start of Text
	/** Unexpected end of flow-mode */
	const FLOW_END = '\x18'; // C0: Cancel
	/** Next token is a scalar value */
	const SCALAR = '\x1f'; // C0: Unit Separator
	/** @returns `true` if `token` is a flow or block collection */
	const isCollection = (token) => !!token && 'items' in token;
	/** @returns `true` if `token` is a flow or block scalar; not an alias */
	const isScalar = (token) => !!token &&
	    (token.type === 'scalar' ||
	        token.type === 'single-quoted-scalar' ||
	        token.type === 'double-quoted-scalar' ||
	        token.type === 'block-scalar');
	/* istanbul ignore next */
	/** Get a printable representation of a lexer token */
	function prettyToken(token) {
	    switch (token) {
	        case BOM:
	            return '<BOM>';
	        case DOCUMENT:
	            return '<DOC>';
	        case FLOW_END:
	            return '<FLOW_END>';
	        case SCALAR:
	            return '<SCALAR>';
	        default:
	            return JSON.stringify(token);
	    }
	}
	/** Identify the type of a lexer token. May return `null` for unknown tokens. */
	function tokenType(source) {
	    switch (source) {
	        case BOM:
	            return 'byte-order-mark';
	        case DOCUMENT:
	            return 'doc-mode';
	        case FLOW_END:
	            return 'flow-error-end';
	        case SCALAR:
	            return 'scalar';
	        case '---':
	            return 'doc-start';
	        case '...':
	            return 'doc-end';
	        case '':
	        case '\n':
	        case '\r\n':
	            return 'newline';
	        case '-':
	            return 'seq-item-ind';
	        case '?':
	            return 'explicit-key-ind';
	        case ':':
	            return 'map-value-ind';
	        case '{':
	            return 'flow-map-start';
	        case '}':
	            return 'flow-map-end';
	        case '[':
	            return 'flow-seq-start';
	        case ']':
	            return 'flow-seq-end';
	        case ',':
	            return 'comma';
	    }
	    switch (source[0]) {
	        case ' ':
	        case '\t':
	            return 'space';
	        case '#':
	            return 'comment';
	        case '%':
	            return 'directive-line';
	        case '*':
	            return 'alias';
	        case '&':
	            return 'anchor';
	        case '!':
	            return 'tag';
	        case "'":
	            return 'single-quoted-scalar';
	        case '"':
	            return 'double-quoted-scalar';
	        case '|':
	        case '>':
	            return 'block-scalar-header';
	    }
	    return null;
	}

	cst.createScalarToken = cstScalar.createScalarToken;
	cst.resolveAsScalar = cstScalar.resolveAsScalar;
	cst.setScalarValue = cstScalar.setScalarValue;
	cst.stringify = cstStringify.stringify;
	cst.visit = cstVisit.visit;
	cst.BOM = BOM;
	cst.DOCUMENT = DOCUMENT;
	cst.FLOW_END = FLOW_END;
	cst.SCALAR = SCALAR;
	cst.isCollection = isCollection;
	cst.isScalar = isScalar;
	cst.prettyToken = prettyToken;
	cst.tokenType = tokenType;
	return cst;
}

var lexer = {};

var hasRequiredLexer;

function requireLexer () {
	if (hasRequiredLexer) return lexer;
	hasRequiredLexer = 1;

	var cst = requireCst();

	/*
	START -> stream

	stream
	  directive -> line-end -> stream
	  indent + line-end -> stream
	  [else] -> line-start

	line-end
	  comment -> line-end
	  newline -> .
	  input-end -> END

	line-start
	  doc-start -> doc
	  doc-end -> stream
	  [else] -> indent -> block-start

	block-start
	  seq-item-start -> block-start
	  explicit-key-start -> block-start
	  map-value-start -> block-start
	  [else] -> doc

	doc
	  line-end -> line-start
	  spaces -> doc
	  anchor -> doc
	  tag -> doc
	  flow-start -> flow -> doc
	  flow-end -> error -> doc
	  seq-item-start -> error -> doc
	  explicit-key-start -> error -> doc
	  map-value-start -> doc
	  alias -> doc
	  quote-start -> quoted-scalar -> doc
	  block-scalar-header -> line-end -> block-scalar(min) -> line-start
	  [else] -> plain-scalar(false, min) -> doc

	flow
	  line-end -> flow
	  spaces -> flow
	  anchor -> flow
	  tag -> flow
	  flow-start -> flow -> flow
	  flow-end -> .
	  seq-item-start -> error -> flow
	  explicit-key-start -> flow
	  map-value-start -> flow
	  alias -> flow
	  quote-start -> quoted-scalar -> flow
	  comma -> flow
	  [else] -> plain-scalar(true, 0) -> flow

	quoted-scalar
	  quote-end -> .
	  [else] -> quoted-scalar

	block-scalar(min)
	  newline + peek(indent < min) -> .
	  [else] -> block-scalar(min)

	plain-scalar(is-flow, min)
	  scalar-end(is-flow) -> .
	  peek(newline + (indent < min)) -> .
	  [else] -> plain-scalar(min)
	*/
	function isEmpty(ch) {
	    switch (ch) {
	        case undefined:
	        case ' ':
	        case '\n':
	        case '\r':
	        case '\t':
	            return true;
	        default:
	            return false;
	    }
	}
	const hexDigits = new Set('0123456789ABCDEFabcdef');
	const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
	const flowIndicatorChars = new Set(',[]{}');
	const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
	const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
	/**
	 * Splits an input string into lexical tokens, i.e. smaller strings that are
	 * easily identifiable by `tokens.tokenType()`.
	 *
	 * Lexing starts always in a "stream" context. Incomplete input may be buffered
	 * until a complete token can be emitted.
	 *
	 * In addition to slices of the original input, the following control characters
	 * may also be emitted:
	 *
	 * - `\x02` (Start of Text): A document starts with the next token
	 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
	 * - `\x1f` (Unit Separator): Next token is a scalar value
	 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
	 */
	class Lexer {
	    constructor() {
	        /**
	         * Flag indicating whether the end of the current buffer marks the end of
	         * all input
	         */
	        this.atEnd = false;
	        /**
	         * Explicit indent set in block scalar header, as an offset from the current
	         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
	         * explicitly set.
	         */
	        this.blockScalarIndent = -1;
	        /**
	         * Block scalars that include a + (keep) chomping indicator in their header
	         * include trailing empty lines, which are otherwise excluded from the
	         * scalar's contents.
	         */
	        this.blockScalarKeep = false;
	        /** Current input */
	        this.buffer = '';
	        /**
	         * Flag noting whether the map value indicator : can immediately follow this
	         * node within a flow context.
	         */
	        this.flowKey = false;
	        /** Count of surrounding flow collection levels. */
	        this.flowLevel = 0;
	        /**
	         * Minimum level of indentation required for next lines to be parsed as a
	         * part of the current scalar value.
	         */
	        this.indentNext = 0;
	        /** Indentation level of the current line. */
	        this.indentValue = 0;
	        /** Position of the next \n character. */
	        this.lineEndPos = null;
	        /** Stores the state of the lexer if reaching the end of incpomplete input */
	        this.next = null;
	        /** A pointer to `buffer`; the current position of the lexer. */
	        this.pos = 0;
	    }
	    /**
	     * Generate YAML tokens from the `source` string. If `incomplete`,
	     * a part of the last line may be left as a buffer for the next call.
	     *
	     * @returns A generator of lexical tokens
	     */
	    *lex(source, incomplete = false) {
	        if (source) {
	            if (typeof source !== 'string')
	                throw TypeError('source is not a string');
	            this.buffer = this.buffer ? this.buffer + source : source;
	            this.lineEndPos = null;
	        }
	        this.atEnd = !incomplete;
	        let next = this.next ?? 'stream';
	        while (next && (incomplete || this.hasChars(1)))
	            next = yield* this.parseNext(next);
	    }
	    atLineEnd() {
	        let i = this.pos;
	        let ch = this.buffer[i];
	        while (ch === ' ' || ch === '\t')
	            ch = this.buffer[++i];
	        if (!ch || ch === '#' || ch === '\n')
	            return true;
	        if (ch === '\r')
	            return this.buffer[i + 1] === '\n';
	        return false;
	    }
	    charAt(n) {
	        return this.buffer[this.pos + n];
	    }
	    continueScalar(offset) {
	        let ch = this.buffer[offset];
	        if (this.indentNext > 0) {
	            let indent = 0;
	            while (ch === ' ')
	                ch = this.buffer[++indent + offset];
	            if (ch === '\r') {
	                const next = this.buffer[indent + offset + 1];
	                if (next === '\n' || (!next && !this.atEnd))
	                    return offset + indent + 1;
	            }
	            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
	                ? offset + indent
	                : -1;
	        }
	        if (ch === '-' || ch === '.') {
	            const dt = this.buffer.substr(offset, 3);
	            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
	                return -1;
	        }
	        return offset;
	    }
	    getLine() {
	        let end = this.lineEndPos;
	        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
	            end = this.buffer.indexOf('\n', this.pos);
	            this.lineEndPos = end;
	        }
	        if (end === -1)
	            return this.atEnd ? this.buffer.substring(this.pos) : null;
	        if (this.buffer[end - 1] === '\r')
	            end -= 1;
	        return this.buffer.substring(this.pos, end);
	    }
	    hasChars(n) {
	        return this.pos + n <= this.buffer.length;
	    }
	    setNext(state) {
	        this.buffer = this.buffer.substring(this.pos);
	        this.pos = 0;
	        this.lineEndPos = null;
	        this.next = state;
	        return null;
	    }
	    peek(n) {
	        return this.buffer.substr(this.pos, n);
	    }
	    *parseNext(next) {
	        switch (next) {
	            case 'stream':
	                return yield* this.parseStream();
	            case 'line-start':
	                return yield* this.parseLineStart();
	            case 'block-start':
	                return yield* this.parseBlockStart();
	            case 'doc':
	                return yield* this.parseDocument();
	            case 'flow':
	                return yield* this.parseFlowCollection();
	            case 'quoted-scalar':
	                return yield* this.parseQuotedScalar();
	            case 'block-scalar':
	                return yield* this.parseBlockScalar();
	            case 'plain-scalar':
	                return yield* this.parsePlainScalar();
	        }
	    }
	    *parseStream() {
	        let line = this.getLine();
	        if (line === null)
	            return this.setNext('stream');
	        if (line[0] === cst.BOM) {
	            yield* this.pushCount(1);
	            line = line.substring(1);
	        }
	        if (line[0] === '%') {
	            let dirEnd = line.length;
	            let cs = line.indexOf('#');
	            while (cs !== -1) {
	                const ch = line[cs - 1];
	                if (ch === ' ' || ch === '\t') {
	                    dirEnd = cs - 1;
	                    break;
	                }
	                else {
	                    cs = line.indexOf('#', cs + 1);
	                }
	            }
	            while (true) {
	                const ch = line[dirEnd - 1];
	                if (ch === ' ' || ch === '\t')
	                    dirEnd -= 1;
	                else
	                    break;
	            }
	            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
	            yield* this.pushCount(line.length - n); // possible comment
	            this.pushNewline();
	            return 'stream';
	        }
	        if (this.atLineEnd()) {
	            const sp = yield* this.pushSpaces(true);
	            yield* this.pushCount(line.length - sp);
	            yield* this.pushNewline();
	            return 'stream';
	        }
	        yield cst.DOCUMENT;
	        return yield* this.parseLineStart();
	    }
	    *parseLineStart() {
	        const ch = this.charAt(0);
	        if (!ch && !this.atEnd)
	            return this.setNext('line-start');
	        if (ch === '-' || ch === '.') {
	            if (!this.atEnd && !this.hasChars(4))
	                return this.setNext('line-start');
	            const s = this.peek(3);
	            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
	                yield* this.pushCount(3);
	                this.indentValue = 0;
	                this.indentNext = 0;
	                return s === '---' ? 'doc' : 'stream';
	            }
	        }
	        this.indentValue = yield* this.pushSpaces(false);
	        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
	            this.indentNext = this.indentValue;
	        return yield* this.parseBlockStart();
	    }
	    *parseBlockStart() {
	        const [ch0, ch1] = this.peek(2);
	        if (!ch1 && !this.atEnd)
	            return this.setNext('block-start');
	        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
	            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
	            this.indentNext = this.indentValue + 1;
	            this.indentValue += n;
	            return 'block-start';
	        }
	        return 'doc';
	    }
	    *parseDocument() {
	        yield* this.pushSpaces(true);
	        const line = this.getLine();
	        if (line === null)
	            return this.setNext('doc');
	        let n = yield* this.pushIndicators();
	        switch (line[n]) {
	            case '#':
	                yield* this.pushCount(line.length - n);
	            // fallthrough
	            case undefined:
	                yield* this.pushNewline();
	                return yield* this.parseLineStart();
	            case '{':
	            case '[':
	                yield* this.pushCount(1);
	                this.flowKey = false;
	                this.flowLevel = 1;
	                return 'flow';
	            case '}':
	            case ']':
	                // this is an error
	                yield* this.pushCount(1);
	                return 'doc';
	            case '*':
	                yield* this.pushUntil(isNotAnchorChar);
	                return 'doc';
	            case '"':
	            case "'":
	                return yield* this.parseQuotedScalar();
	            case '|':
	            case '>':
	                n += yield* this.parseBlockScalarHeader();
	                n += yield* this.pushSpaces(true);
	                yield* this.pushCount(line.length - n);
	                yield* this.pushNewline();
	                return yield* this.parseBlockScalar();
	            default:
	                return yield* this.parsePlainScalar();
	        }
	    }
	    *parseFlowCollection() {
	        let nl, sp;
	        let indent = -1;
	        do {
	            nl = yield* this.pushNewline();
	            if (nl > 0) {
	                sp = yield* this.pushSpaces(false);
	                this.indentValue = indent = sp;
	            }
	            else {
	                sp = 0;
	            }
	            sp += yield* this.pushSpaces(true);
	        } while (nl + sp > 0);
	        const line = this.getLine();
	        if (line === null)
	            return this.setNext('flow');
	        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
	            (indent === 0 &&
	                (line.startsWith('---') || line.startsWith('...')) &&
	                isEmpty(line[3]))) {
	            // Allowing for the terminal ] or } at the same (rather than greater)
	            // indent level as the initial [ or { is technically invalid, but
	            // failing here would be surprising to users.
	            const atFlowEndMarker = indent === this.indentNext - 1 &&
	                this.flowLevel === 1 &&
	                (line[0] === ']' || line[0] === '}');
	            if (!atFlowEndMarker) {
	                // this is an error
	                this.flowLevel = 0;
	                yield cst.FLOW_END;
	                return yield* this.parseLineStart();
	            }
	        }
	        let n = 0;
	        while (line[n] === ',') {
	            n += yield* this.pushCount(1);
	            n += yield* this.pushSpaces(true);
	            this.flowKey = false;
	        }
	        n += yield* this.pushIndicators();
	        switch (line[n]) {
	            case undefined:
	                return 'flow';
	            case '#':
	                yield* this.pushCount(line.length - n);
	                return 'flow';
	            case '{':
	            case '[':
	                yield* this.pushCount(1);
	                this.flowKey = false;
	                this.flowLevel += 1;
	                return 'flow';
	            case '}':
	            case ']':
	                yield* this.pushCount(1);
	                this.flowKey = true;
	                this.flowLevel -= 1;
	                return this.flowLevel ? 'flow' : 'doc';
	            case '*':
	                yield* this.pushUntil(isNotAnchorChar);
	                return 'flow';
	            case '"':
	            case "'":
	                this.flowKey = true;
	                return yield* this.parseQuotedScalar();
	            case ':': {
	                const next = this.charAt(1);
	                if (this.flowKey || isEmpty(next) || next === ',') {
	                    this.flowKey = false;
	                    yield* this.pushCount(1);
	                    yield* this.pushSpaces(true);
	                    return 'flow';
	                }
	            }
	            // fallthrough
	            default:
	                this.flowKey = false;
	                return yield* this.parsePlainScalar();
	        }
	    }
	    *parseQuotedScalar() {
	        const quote = this.charAt(0);
	        let end = this.buffer.indexOf(quote, this.pos + 1);
	        if (quote === "'") {
	            while (end !== -1 && this.buffer[end + 1] === "'")
	                end = this.buffer.indexOf("'", end + 2);
	        }
	        else {
	            // double-quote
	            while (end !== -1) {
	                let n = 0;
	                while (this.buffer[end - 1 - n] === '\\')
	                    n += 1;
	                if (n % 2 === 0)
	                    break;
	                end = this.buffer.indexOf('"', end + 1);
	            }
	        }
	        // Only looking for newlines within the quotes
	        const qb = this.buffer.substring(0, end);
	        let nl = qb.indexOf('\n', this.pos);
	        if (nl !== -1) {
	            while (nl !== -1) {
	                const cs = this.continueScalar(nl + 1);
	                if (cs === -1)
	                    break;
	                nl = qb.indexOf('\n', cs);
	            }
	            if (nl !== -1) {
	                // this is an error caused by an unexpected unindent
	                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
	            }
	        }
	        if (end === -1) {
	            if (!this.atEnd)
	                return this.setNext('quoted-scalar');
	            end = this.buffer.length;
	        }
	        yield* this.pushToIndex(end + 1, false);
	        return this.flowLevel ? 'flow' : 'doc';
	    }
	    *parseBlockScalarHeader() {
	        this.blockScalarIndent = -1;
	        this.blockScalarKeep = false;
	        let i = this.pos;
	        while (true) {
	            const ch = this.buffer[++i];
	            if (ch === '+')
	                this.blockScalarKeep = true;
	            else if (ch > '0' && ch <= '9')
	                this.blockScalarIndent = Number(ch) - 1;
	            else if (ch !== '-')
	                break;
	        }
	        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
	    }
	    *parseBlockScalar() {
	        let nl = this.pos - 1; // may be -1 if this.pos === 0
	        let indent = 0;
	        let ch;
	        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
	            switch (ch) {
	                case ' ':
	                    indent += 1;
	                    break;
	                case '\n':
	                    nl = i;
	                    indent = 0;
	                    break;
	                case '\r': {
	                    const next = this.buffer[i + 1];
	                    if (!next && !this.atEnd)
	                        return this.setNext('block-scalar');
	                    if (next === '\n')
	                        break;
	                } // fallthrough
	                default:
	                    break loop;
	            }
	        }
	        if (!ch && !this.atEnd)
	            return this.setNext('block-scalar');
	        if (indent >= this.indentNext) {
	            if (this.blockScalarIndent === -1)
	                this.indentNext = indent;
	            else {
	                this.indentNext =
	                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
	            }
	            do {
	                const cs = this.continueScalar(nl + 1);
	                if (cs === -1)
	                    break;
	                nl = this.buffer.indexOf('\n', cs);
	            } while (nl !== -1);
	            if (nl === -1) {
	                if (!this.atEnd)
	                    return this.setNext('block-scalar');
	                nl = this.buffer.length;
	            }
	        }
	        // Trailing insufficiently indented tabs are invalid.
	        // To catch that during parsing, we include them in the block scalar value.
	        let i = nl + 1;
	        ch = this.buffer[i];
	        while (ch === ' ')
	            ch = this.buffer[++i];
	        if (ch === '\t') {
	            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
	                ch = this.buffer[++i];
	            nl = i - 1;
	        }
	        else if (!this.blockScalarKeep) {
	            do {
	                let i = nl - 1;
	                let ch = this.buffer[i];
	                if (ch === '\r')
	                    ch = this.buffer[--i];
	                const lastChar = i; // Drop the line if last char not more indented
	                while (ch === ' ')
	                    ch = this.buffer[--i];
	                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
	                    nl = i;
	                else
	                    break;
	            } while (true);
	        }
	        yield cst.SCALAR;
	        yield* this.pushToIndex(nl + 1, true);
	        return yield* this.parseLineStart();
	    }
	    *parsePlainScalar() {
	        const inFlow = this.flowLevel > 0;
	        let end = this.pos - 1;
	        let i = this.pos - 1;
	        let ch;
	        while ((ch = this.buffer[++i])) {
	            if (ch === ':') {
	                const next = this.buffer[i + 1];
	                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
	                    break;
	                end = i;
	            }
	            else if (isEmpty(ch)) {
	                let next = this.buffer[i + 1];
	                if (ch === '\r') {
	                    if (next === '\n') {
	                        i += 1;
	                        ch = '\n';
	                        next = this.buffer[i + 1];
	                    }
	                    else
	                        end = i;
	                }
	                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
	                    break;
	                if (ch === '\n') {
	                    const cs = this.continueScalar(i + 1);
	                    if (cs === -1)
	                        break;
	                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
	                }
	            }
	            else {
	                if (inFlow && flowIndicatorChars.has(ch))
	                    break;
	                end = i;
	            }
	        }
	        if (!ch && !this.atEnd)
	            return this.setNext('plain-scalar');
	        yield cst.SCALAR;
	        yield* this.pushToIndex(end + 1, true);
	        return inFlow ? 'flow' : 'doc';
	    }
	    *pushCount(n) {
	        if (n > 0) {
	            yield this.buffer.substr(this.pos, n);
	            this.pos += n;
	            return n;
	        }
	        return 0;
	    }
	    *pushToIndex(i, allowEmpty) {
	        const s = this.buffer.slice(this.pos, i);
	        if (s) {
	            yield s;
	            this.pos += s.length;
	            return s.length;
	        }
	        else if (allowEmpty)
	            yield '';
	        return 0;
	    }
	    *pushIndicators() {
	        let n = 0;
	        loop: while (true) {
	            switch (this.charAt(0)) {
	                case '!':
	                    n += yield* this.pushTag();
	                    n += yield* this.pushSpaces(true);
	                    continue loop;
	                case '&':
	                    n += yield* this.pushUntil(isNotAnchorChar);
	                    n += yield* this.pushSpaces(true);
	                    continue loop;
	                case '-': // this is an error
	                case '?': // this is an error outside flow collections
	                case ':': {
	                    const inFlow = this.flowLevel > 0;
	                    const ch1 = this.charAt(1);
	                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
	                        if (!inFlow)
	                            this.indentNext = this.indentValue + 1;
	                        else if (this.flowKey)
	                            this.flowKey = false;
	                        n += yield* this.pushCount(1);
	                        n += yield* this.pushSpaces(true);
	                        continue loop;
	                    }
	                }
	            }
	            break loop;
	        }
	        return n;
	    }
	    *pushTag() {
	        if (this.charAt(1) === '<') {
	            let i = this.pos + 2;
	            let ch = this.buffer[i];
	            while (!isEmpty(ch) && ch !== '>')
	                ch = this.buffer[++i];
	            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
	        }
	        else {
	            let i = this.pos + 1;
	            let ch = this.buffer[i];
	            while (ch) {
	                if (tagChars.has(ch))
	                    ch = this.buffer[++i];
	                else if (ch === '%' &&
	                    hexDigits.has(this.buffer[i + 1]) &&
	                    hexDigits.has(this.buffer[i + 2])) {
	                    ch = this.buffer[(i += 3)];
	                }
	                else
	                    break;
	            }
	            return yield* this.pushToIndex(i, false);
	        }
	    }
	    *pushNewline() {
	        const ch = this.buffer[this.pos];
	        if (ch === '\n')
	            return yield* this.pushCount(1);
	        else if (ch === '\r' && this.charAt(1) === '\n')
	            return yield* this.pushCount(2);
	        else
	            return 0;
	    }
	    *pushSpaces(allowTabs) {
	        let i = this.pos - 1;
	        let ch;
	        do {
	            ch = this.buffer[++i];
	        } while (ch === ' ' || (allowTabs && ch === '\t'));
	        const n = i - this.pos;
	        if (n > 0) {
	            yield this.buffer.substr(this.pos, n);
	            this.pos = i;
	        }
	        return n;
	    }
	    *pushUntil(test) {
	        let i = this.pos;
	        let ch = this.buffer[i];
	        while (!test(ch))
	            ch = this.buffer[++i];
	        return yield* this.pushToIndex(i, false);
	    }
	}

	lexer.Lexer = Lexer;
	return lexer;
}

var lineCounter = {};

var hasRequiredLineCounter;

function requireLineCounter () {
	if (hasRequiredLineCounter) return lineCounter;
	hasRequiredLineCounter = 1;

	/**
	 * Tracks newlines during parsing in order to provide an efficient API for
	 * determining the one-indexed `{ line, col }` position for any offset
	 * within the input.
	 */
	class LineCounter {
	    constructor() {
	        this.lineStarts = [];
	        /**
	         * Should be called in ascending order. Otherwise, call
	         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
	         */
	        this.addNewLine = (offset) => this.lineStarts.push(offset);
	        /**
	         * Performs a binary search and returns the 1-indexed { line, col }
	         * position of `offset`. If `line === 0`, `addNewLine` has never been
	         * called or `offset` is before the first known newline.
	         */
	        this.linePos = (offset) => {
	            let low = 0;
	            let high = this.lineStarts.length;
	            while (low < high) {
	                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
	                if (this.lineStarts[mid] < offset)
	                    low = mid + 1;
	                else
	                    high = mid;
	            }
	            if (this.lineStarts[low] === offset)
	                return { line: low + 1, col: 1 };
	            if (low === 0)
	                return { line: 0, col: offset };
	            const start = this.lineStarts[low - 1];
	            return { line: low, col: offset - start + 1 };
	        };
	    }
	}

	lineCounter.LineCounter = LineCounter;
	return lineCounter;
}

var parser$1 = {};

var hasRequiredParser$1;

function requireParser$1 () {
	if (hasRequiredParser$1) return parser$1;
	hasRequiredParser$1 = 1;

	var node_process = require$$0$1;
	var cst = requireCst();
	var lexer = requireLexer();

	function includesToken(list, type) {
	    for (let i = 0; i < list.length; ++i)
	        if (list[i].type === type)
	            return true;
	    return false;
	}
	function findNonEmptyIndex(list) {
	    for (let i = 0; i < list.length; ++i) {
	        switch (list[i].type) {
	            case 'space':
	            case 'comment':
	            case 'newline':
	                break;
	            default:
	                return i;
	        }
	    }
	    return -1;
	}
	function isFlowToken(token) {
	    switch (token?.type) {
	        case 'alias':
	        case 'scalar':
	        case 'single-quoted-scalar':
	        case 'double-quoted-scalar':
	        case 'flow-collection':
	            return true;
	        default:
	            return false;
	    }
	}
	function getPrevProps(parent) {
	    switch (parent.type) {
	        case 'document':
	            return parent.start;
	        case 'block-map': {
	            const it = parent.items[parent.items.length - 1];
	            return it.sep ?? it.start;
	        }
	        case 'block-seq':
	            return parent.items[parent.items.length - 1].start;
	        /* istanbul ignore next should not happen */
	        default:
	            return [];
	    }
	}
	/** Note: May modify input array */
	function getFirstKeyStartProps(prev) {
	    if (prev.length === 0)
	        return [];
	    let i = prev.length;
	    loop: while (--i >= 0) {
	        switch (prev[i].type) {
	            case 'doc-start':
	            case 'explicit-key-ind':
	            case 'map-value-ind':
	            case 'seq-item-ind':
	            case 'newline':
	                break loop;
	        }
	    }
	    while (prev[++i]?.type === 'space') {
	        /* loop */
	    }
	    return prev.splice(i, prev.length);
	}
	function arrayPushArray(target, source) {
	    // May exhaust call stack with large `source` array
	    if (source.length < 1e5)
	        Array.prototype.push.apply(target, source);
	    else
	        for (let i = 0; i < source.length; ++i)
	            target.push(source[i]);
	}
	function fixFlowSeqItems(fc) {
	    if (fc.start.type === 'flow-seq-start') {
	        for (const it of fc.items) {
	            if (it.sep &&
	                !it.value &&
	                !includesToken(it.start, 'explicit-key-ind') &&
	                !includesToken(it.sep, 'map-value-ind')) {
	                if (it.key)
	                    it.value = it.key;
	                delete it.key;
	                if (isFlowToken(it.value)) {
	                    if (it.value.end)
	                        arrayPushArray(it.value.end, it.sep);
	                    else
	                        it.value.end = it.sep;
	                }
	                else
	                    arrayPushArray(it.start, it.sep);
	                delete it.sep;
	            }
	        }
	    }
	}
	/**
	 * A YAML concrete syntax tree (CST) parser
	 *
	 * ```ts
	 * const src: string = ...
	 * for (const token of new Parser().parse(src)) {
	 *   // token: Token
	 * }
	 * ```
	 *
	 * To use the parser with a user-provided lexer:
	 *
	 * ```ts
	 * function* parse(source: string, lexer: Lexer) {
	 *   const parser = new Parser()
	 *   for (const lexeme of lexer.lex(source))
	 *     yield* parser.next(lexeme)
	 *   yield* parser.end()
	 * }
	 *
	 * const src: string = ...
	 * const lexer = new Lexer()
	 * for (const token of parse(src, lexer)) {
	 *   // token: Token
	 * }
	 * ```
	 */
	class Parser {
	    /**
	     * @param onNewLine - If defined, called separately with the start position of
	     *   each new line (in `parse()`, including the start of input).
	     */
	    constructor(onNewLine) {
	        /** If true, space and sequence indicators count as indentation */
	        this.atNewLine = true;
	        /** If true, next token is a scalar value */
	        this.atScalar = false;
	        /** Current indentation level */
	        this.indent = 0;
	        /** Current offset since the start of parsing */
	        this.offset = 0;
	        /** On the same line with a block map key */
	        this.onKeyLine = false;
	        /** Top indicates the node that's currently being built */
	        this.stack = [];
	        /** The source of the current token, set in parse() */
	        this.source = '';
	        /** The type of the current token, set in parse() */
	        this.type = '';
	        // Must be defined after `next()`
	        this.lexer = new lexer.Lexer();
	        this.onNewLine = onNewLine;
	    }
	    /**
	     * Parse `source` as a YAML stream.
	     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
	     *
	     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
	     *
	     * @returns A generator of tokens representing each directive, document, and other structure.
	     */
	    *parse(source, incomplete = false) {
	        if (this.onNewLine && this.offset === 0)
	            this.onNewLine(0);
	        for (const lexeme of this.lexer.lex(source, incomplete))
	            yield* this.next(lexeme);
	        if (!incomplete)
	            yield* this.end();
	    }
	    /**
	     * Advance the parser by the `source` of one lexical token.
	     */
	    *next(source) {
	        this.source = source;
	        if (node_process.env.LOG_TOKENS)
	            console.log('|', cst.prettyToken(source));
	        if (this.atScalar) {
	            this.atScalar = false;
	            yield* this.step();
	            this.offset += source.length;
	            return;
	        }
	        const type = cst.tokenType(source);
	        if (!type) {
	            const message = `Not a YAML token: ${source}`;
	            yield* this.pop({ type: 'error', offset: this.offset, message, source });
	            this.offset += source.length;
	        }
	        else if (type === 'scalar') {
	            this.atNewLine = false;
	            this.atScalar = true;
	            this.type = 'scalar';
	        }
	        else {
	            this.type = type;
	            yield* this.step();
	            switch (type) {
	                case 'newline':
	                    this.atNewLine = true;
	                    this.indent = 0;
	                    if (this.onNewLine)
	                        this.onNewLine(this.offset + source.length);
	                    break;
	                case 'space':
	                    if (this.atNewLine && source[0] === ' ')
	                        this.indent += source.length;
	                    break;
	                case 'explicit-key-ind':
	                case 'map-value-ind':
	                case 'seq-item-ind':
	                    if (this.atNewLine)
	                        this.indent += source.length;
	                    break;
	                case 'doc-mode':
	                case 'flow-error-end':
	                    return;
	                default:
	                    this.atNewLine = false;
	            }
	            this.offset += source.length;
	        }
	    }
	    /** Call at end of input to push out any remaining constructions */
	    *end() {
	        while (this.stack.length > 0)
	            yield* this.pop();
	    }
	    get sourceToken() {
	        const st = {
	            type: this.type,
	            offset: this.offset,
	            indent: this.indent,
	            source: this.source
	        };
	        return st;
	    }
	    *step() {
	        const top = this.peek(1);
	        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
	            while (this.stack.length > 0)
	                yield* this.pop();
	            this.stack.push({
	                type: 'doc-end',
	                offset: this.offset,
	                source: this.source
	            });
	            return;
	        }
	        if (!top)
	            return yield* this.stream();
	        switch (top.type) {
	            case 'document':
	                return yield* this.document(top);
	            case 'alias':
	            case 'scalar':
	            case 'single-quoted-scalar':
	            case 'double-quoted-scalar':
	                return yield* this.scalar(top);
	            case 'block-scalar':
	                return yield* this.blockScalar(top);
	            case 'block-map':
	                return yield* this.blockMap(top);
	            case 'block-seq':
	                return yield* this.blockSequence(top);
	            case 'flow-collection':
	                return yield* this.flowCollection(top);
	            case 'doc-end':
	                return yield* this.documentEnd(top);
	        }
	        /* istanbul ignore next should not happen */
	        yield* this.pop();
	    }
	    peek(n) {
	        return this.stack[this.stack.length - n];
	    }
	    *pop(error) {
	        const token = error ?? this.stack.pop();
	        /* istanbul ignore if should not happen */
	        if (!token) {
	            const message = 'Tried to pop an empty stack';
	            yield { type: 'error', offset: this.offset, source: '', message };
	        }
	        else if (this.stack.length === 0) {
	            yield token;
	        }
	        else {
	            const top = this.peek(1);
	            if (token.type === 'block-scalar') {
	                // Block scalars use their parent rather than header indent
	                token.indent = 'indent' in top ? top.indent : 0;
	            }
	            else if (token.type === 'flow-collection' && top.type === 'document') {
	                // Ignore all indent for top-level flow collections
	                token.indent = 0;
	            }
	            if (token.type === 'flow-collection')
	                fixFlowSeqItems(token);
	            switch (top.type) {
	                case 'document':
	                    top.value = token;
	                    break;
	                case 'block-scalar':
	                    top.props.push(token); // error
	                    break;
	                case 'block-map': {
	                    const it = top.items[top.items.length - 1];
	                    if (it.value) {
	                        top.items.push({ start: [], key: token, sep: [] });
	                        this.onKeyLine = true;
	                        return;
	                    }
	                    else if (it.sep) {
	                        it.value = token;
	                    }
	                    else {
	                        Object.assign(it, { key: token, sep: [] });
	                        this.onKeyLine = !it.explicitKey;
	                        return;
	                    }
	                    break;
	                }
	                case 'block-seq': {
	                    const it = top.items[top.items.length - 1];
	                    if (it.value)
	                        top.items.push({ start: [], value: token });
	                    else
	                        it.value = token;
	                    break;
	                }
	                case 'flow-collection': {
	                    const it = top.items[top.items.length - 1];
	                    if (!it || it.value)
	                        top.items.push({ start: [], key: token, sep: [] });
	                    else if (it.sep)
	                        it.value = token;
	                    else
	                        Object.assign(it, { key: token, sep: [] });
	                    return;
	                }
	                /* istanbul ignore next should not happen */
	                default:
	                    yield* this.pop();
	                    yield* this.pop(token);
	            }
	            if ((top.type === 'document' ||
	                top.type === 'block-map' ||
	                top.type === 'block-seq') &&
	                (token.type === 'block-map' || token.type === 'block-seq')) {
	                const last = token.items[token.items.length - 1];
	                if (last &&
	                    !last.sep &&
	                    !last.value &&
	                    last.start.length > 0 &&
	                    findNonEmptyIndex(last.start) === -1 &&
	                    (token.indent === 0 ||
	                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
	                    if (top.type === 'document')
	                        top.end = last.start;
	                    else
	                        top.items.push({ start: last.start });
	                    token.items.splice(-1, 1);
	                }
	            }
	        }
	    }
	    *stream() {
	        switch (this.type) {
	            case 'directive-line':
	                yield { type: 'directive', offset: this.offset, source: this.source };
	                return;
	            case 'byte-order-mark':
	            case 'space':
	            case 'comment':
	            case 'newline':
	                yield this.sourceToken;
	                return;
	            case 'doc-mode':
	            case 'doc-start': {
	                const doc = {
	                    type: 'document',
	                    offset: this.offset,
	                    start: []
	                };
	                if (this.type === 'doc-start')
	                    doc.start.push(this.sourceToken);
	                this.stack.push(doc);
	                return;
	            }
	        }
	        yield {
	            type: 'error',
	            offset: this.offset,
	            message: `Unexpected ${this.type} token in YAML stream`,
	            source: this.source
	        };
	    }
	    *document(doc) {
	        if (doc.value)
	            return yield* this.lineEnd(doc);
	        switch (this.type) {
	            case 'doc-start': {
	                if (findNonEmptyIndex(doc.start) !== -1) {
	                    yield* this.pop();
	                    yield* this.step();
	                }
	                else
	                    doc.start.push(this.sourceToken);
	                return;
	            }
	            case 'anchor':
	            case 'tag':
	            case 'space':
	            case 'comment':
	            case 'newline':
	                doc.start.push(this.sourceToken);
	                return;
	        }
	        const bv = this.startBlockValue(doc);
	        if (bv)
	            this.stack.push(bv);
	        else {
	            yield {
	                type: 'error',
	                offset: this.offset,
	                message: `Unexpected ${this.type} token in YAML document`,
	                source: this.source
	            };
	        }
	    }
	    *scalar(scalar) {
	        if (this.type === 'map-value-ind') {
	            const prev = getPrevProps(this.peek(2));
	            const start = getFirstKeyStartProps(prev);
	            let sep;
	            if (scalar.end) {
	                sep = scalar.end;
	                sep.push(this.sourceToken);
	                delete scalar.end;
	            }
	            else
	                sep = [this.sourceToken];
	            const map = {
	                type: 'block-map',
	                offset: scalar.offset,
	                indent: scalar.indent,
	                items: [{ start, key: scalar, sep }]
	            };
	            this.onKeyLine = true;
	            this.stack[this.stack.length - 1] = map;
	        }
	        else
	            yield* this.lineEnd(scalar);
	    }
	    *blockScalar(scalar) {
	        switch (this.type) {
	            case 'space':
	            case 'comment':
	            case 'newline':
	                scalar.props.push(this.sourceToken);
	                return;
	            case 'scalar':
	                scalar.source = this.source;
	                // block-scalar source includes trailing newline
	                this.atNewLine = true;
	                this.indent = 0;
	                if (this.onNewLine) {
	                    let nl = this.source.indexOf('\n') + 1;
	                    while (nl !== 0) {
	                        this.onNewLine(this.offset + nl);
	                        nl = this.source.indexOf('\n', nl) + 1;
	                    }
	                }
	                yield* this.pop();
	                break;
	            /* istanbul ignore next should not happen */
	            default:
	                yield* this.pop();
	                yield* this.step();
	        }
	    }
	    *blockMap(map) {
	        const it = map.items[map.items.length - 1];
	        // it.sep is true-ish if pair already has key or : separator
	        switch (this.type) {
	            case 'newline':
	                this.onKeyLine = false;
	                if (it.value) {
	                    const end = 'end' in it.value ? it.value.end : undefined;
	                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
	                    if (last?.type === 'comment')
	                        end?.push(this.sourceToken);
	                    else
	                        map.items.push({ start: [this.sourceToken] });
	                }
	                else if (it.sep) {
	                    it.sep.push(this.sourceToken);
	                }
	                else {
	                    it.start.push(this.sourceToken);
	                }
	                return;
	            case 'space':
	            case 'comment':
	                if (it.value) {
	                    map.items.push({ start: [this.sourceToken] });
	                }
	                else if (it.sep) {
	                    it.sep.push(this.sourceToken);
	                }
	                else {
	                    if (this.atIndentedComment(it.start, map.indent)) {
	                        const prev = map.items[map.items.length - 2];
	                        const end = prev?.value?.end;
	                        if (Array.isArray(end)) {
	                            arrayPushArray(end, it.start);
	                            end.push(this.sourceToken);
	                            map.items.pop();
	                            return;
	                        }
	                    }
	                    it.start.push(this.sourceToken);
	                }
	                return;
	        }
	        if (this.indent >= map.indent) {
	            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
	            const atNextItem = atMapIndent &&
	                (it.sep || it.explicitKey) &&
	                this.type !== 'seq-item-ind';
	            // For empty nodes, assign newline-separated not indented empty tokens to following node
	            let start = [];
	            if (atNextItem && it.sep && !it.value) {
	                const nl = [];
	                for (let i = 0; i < it.sep.length; ++i) {
	                    const st = it.sep[i];
	                    switch (st.type) {
	                        case 'newline':
	                            nl.push(i);
	                            break;
	                        case 'space':
	                            break;
	                        case 'comment':
	                            if (st.indent > map.indent)
	                                nl.length = 0;
	                            break;
	                        default:
	                            nl.length = 0;
	                    }
	                }
	                if (nl.length >= 2)
	                    start = it.sep.splice(nl[1]);
	            }
	            switch (this.type) {
	                case 'anchor':
	                case 'tag':
	                    if (atNextItem || it.value) {
	                        start.push(this.sourceToken);
	                        map.items.push({ start });
	                        this.onKeyLine = true;
	                    }
	                    else if (it.sep) {
	                        it.sep.push(this.sourceToken);
	                    }
	                    else {
	                        it.start.push(this.sourceToken);
	                    }
	                    return;
	                case 'explicit-key-ind':
	                    if (!it.sep && !it.explicitKey) {
	                        it.start.push(this.sourceToken);
	                        it.explicitKey = true;
	                    }
	                    else if (atNextItem || it.value) {
	                        start.push(this.sourceToken);
	                        map.items.push({ start, explicitKey: true });
	                    }
	                    else {
	                        this.stack.push({
	                            type: 'block-map',
	                            offset: this.offset,
	                            indent: this.indent,
	                            items: [{ start: [this.sourceToken], explicitKey: true }]
	                        });
	                    }
	                    this.onKeyLine = true;
	                    return;
	                case 'map-value-ind':
	                    if (it.explicitKey) {
	                        if (!it.sep) {
	                            if (includesToken(it.start, 'newline')) {
	                                Object.assign(it, { key: null, sep: [this.sourceToken] });
	                            }
	                            else {
	                                const start = getFirstKeyStartProps(it.start);
	                                this.stack.push({
	                                    type: 'block-map',
	                                    offset: this.offset,
	                                    indent: this.indent,
	                                    items: [{ start, key: null, sep: [this.sourceToken] }]
	                                });
	                            }
	                        }
	                        else if (it.value) {
	                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
	                        }
	                        else if (includesToken(it.sep, 'map-value-ind')) {
	                            this.stack.push({
	                                type: 'block-map',
	                                offset: this.offset,
	                                indent: this.indent,
	                                items: [{ start, key: null, sep: [this.sourceToken] }]
	                            });
	                        }
	                        else if (isFlowToken(it.key) &&
	                            !includesToken(it.sep, 'newline')) {
	                            const start = getFirstKeyStartProps(it.start);
	                            const key = it.key;
	                            const sep = it.sep;
	                            sep.push(this.sourceToken);
	                            // @ts-expect-error type guard is wrong here
	                            delete it.key;
	                            // @ts-expect-error type guard is wrong here
	                            delete it.sep;
	                            this.stack.push({
	                                type: 'block-map',
	                                offset: this.offset,
	                                indent: this.indent,
	                                items: [{ start, key, sep }]
	                            });
	                        }
	                        else if (start.length > 0) {
	                            // Not actually at next item
	                            it.sep = it.sep.concat(start, this.sourceToken);
	                        }
	                        else {
	                            it.sep.push(this.sourceToken);
	                        }
	                    }
	                    else {
	                        if (!it.sep) {
	                            Object.assign(it, { key: null, sep: [this.sourceToken] });
	                        }
	                        else if (it.value || atNextItem) {
	                            map.items.push({ start, key: null, sep: [this.sourceToken] });
	                        }
	                        else if (includesToken(it.sep, 'map-value-ind')) {
	                            this.stack.push({
	                                type: 'block-map',
	                                offset: this.offset,
	                                indent: this.indent,
	                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
	                            });
	                        }
	                        else {
	                            it.sep.push(this.sourceToken);
	                        }
	                    }
	                    this.onKeyLine = true;
	                    return;
	                case 'alias':
	                case 'scalar':
	                case 'single-quoted-scalar':
	                case 'double-quoted-scalar': {
	                    const fs = this.flowScalar(this.type);
	                    if (atNextItem || it.value) {
	                        map.items.push({ start, key: fs, sep: [] });
	                        this.onKeyLine = true;
	                    }
	                    else if (it.sep) {
	                        this.stack.push(fs);
	                    }
	                    else {
	                        Object.assign(it, { key: fs, sep: [] });
	                        this.onKeyLine = true;
	                    }
	                    return;
	                }
	                default: {
	                    const bv = this.startBlockValue(map);
	                    if (bv) {
	                        if (bv.type === 'block-seq') {
	                            if (!it.explicitKey &&
	                                it.sep &&
	                                !includesToken(it.sep, 'newline')) {
	                                yield* this.pop({
	                                    type: 'error',
	                                    offset: this.offset,
	                                    message: 'Unexpected block-seq-ind on same line with key',
	                                    source: this.source
	                                });
	                                return;
	                            }
	                        }
	                        else if (atMapIndent) {
	                            map.items.push({ start });
	                        }
	                        this.stack.push(bv);
	                        return;
	                    }
	                }
	            }
	        }
	        yield* this.pop();
	        yield* this.step();
	    }
	    *blockSequence(seq) {
	        const it = seq.items[seq.items.length - 1];
	        switch (this.type) {
	            case 'newline':
	                if (it.value) {
	                    const end = 'end' in it.value ? it.value.end : undefined;
	                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
	                    if (last?.type === 'comment')
	                        end?.push(this.sourceToken);
	                    else
	                        seq.items.push({ start: [this.sourceToken] });
	                }
	                else
	                    it.start.push(this.sourceToken);
	                return;
	            case 'space':
	            case 'comment':
	                if (it.value)
	                    seq.items.push({ start: [this.sourceToken] });
	                else {
	                    if (this.atIndentedComment(it.start, seq.indent)) {
	                        const prev = seq.items[seq.items.length - 2];
	                        const end = prev?.value?.end;
	                        if (Array.isArray(end)) {
	                            arrayPushArray(end, it.start);
	                            end.push(this.sourceToken);
	                            seq.items.pop();
	                            return;
	                        }
	                    }
	                    it.start.push(this.sourceToken);
	                }
	                return;
	            case 'anchor':
	            case 'tag':
	                if (it.value || this.indent <= seq.indent)
	                    break;
	                it.start.push(this.sourceToken);
	                return;
	            case 'seq-item-ind':
	                if (this.indent !== seq.indent)
	                    break;
	                if (it.value || includesToken(it.start, 'seq-item-ind'))
	                    seq.items.push({ start: [this.sourceToken] });
	                else
	                    it.start.push(this.sourceToken);
	                return;
	        }
	        if (this.indent > seq.indent) {
	            const bv = this.startBlockValue(seq);
	            if (bv) {
	                this.stack.push(bv);
	                return;
	            }
	        }
	        yield* this.pop();
	        yield* this.step();
	    }
	    *flowCollection(fc) {
	        const it = fc.items[fc.items.length - 1];
	        if (this.type === 'flow-error-end') {
	            let top;
	            do {
	                yield* this.pop();
	                top = this.peek(1);
	            } while (top?.type === 'flow-collection');
	        }
	        else if (fc.end.length === 0) {
	            switch (this.type) {
	                case 'comma':
	                case 'explicit-key-ind':
	                    if (!it || it.sep)
	                        fc.items.push({ start: [this.sourceToken] });
	                    else
	                        it.start.push(this.sourceToken);
	                    return;
	                case 'map-value-ind':
	                    if (!it || it.value)
	                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
	                    else if (it.sep)
	                        it.sep.push(this.sourceToken);
	                    else
	                        Object.assign(it, { key: null, sep: [this.sourceToken] });
	                    return;
	                case 'space':
	                case 'comment':
	                case 'newline':
	                case 'anchor':
	                case 'tag':
	                    if (!it || it.value)
	                        fc.items.push({ start: [this.sourceToken] });
	                    else if (it.sep)
	                        it.sep.push(this.sourceToken);
	                    else
	                        it.start.push(this.sourceToken);
	                    return;
	                case 'alias':
	                case 'scalar':
	                case 'single-quoted-scalar':
	                case 'double-quoted-scalar': {
	                    const fs = this.flowScalar(this.type);
	                    if (!it || it.value)
	                        fc.items.push({ start: [], key: fs, sep: [] });
	                    else if (it.sep)
	                        this.stack.push(fs);
	                    else
	                        Object.assign(it, { key: fs, sep: [] });
	                    return;
	                }
	                case 'flow-map-end':
	                case 'flow-seq-end':
	                    fc.end.push(this.sourceToken);
	                    return;
	            }
	            const bv = this.startBlockValue(fc);
	            /* istanbul ignore else should not happen */
	            if (bv)
	                this.stack.push(bv);
	            else {
	                yield* this.pop();
	                yield* this.step();
	            }
	        }
	        else {
	            const parent = this.peek(2);
	            if (parent.type === 'block-map' &&
	                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
	                    (this.type === 'newline' &&
	                        !parent.items[parent.items.length - 1].sep))) {
	                yield* this.pop();
	                yield* this.step();
	            }
	            else if (this.type === 'map-value-ind' &&
	                parent.type !== 'flow-collection') {
	                const prev = getPrevProps(parent);
	                const start = getFirstKeyStartProps(prev);
	                fixFlowSeqItems(fc);
	                const sep = fc.end.splice(1, fc.end.length);
	                sep.push(this.sourceToken);
	                const map = {
	                    type: 'block-map',
	                    offset: fc.offset,
	                    indent: fc.indent,
	                    items: [{ start, key: fc, sep }]
	                };
	                this.onKeyLine = true;
	                this.stack[this.stack.length - 1] = map;
	            }
	            else {
	                yield* this.lineEnd(fc);
	            }
	        }
	    }
	    flowScalar(type) {
	        if (this.onNewLine) {
	            let nl = this.source.indexOf('\n') + 1;
	            while (nl !== 0) {
	                this.onNewLine(this.offset + nl);
	                nl = this.source.indexOf('\n', nl) + 1;
	            }
	        }
	        return {
	            type,
	            offset: this.offset,
	            indent: this.indent,
	            source: this.source
	        };
	    }
	    startBlockValue(parent) {
	        switch (this.type) {
	            case 'alias':
	            case 'scalar':
	            case 'single-quoted-scalar':
	            case 'double-quoted-scalar':
	                return this.flowScalar(this.type);
	            case 'block-scalar-header':
	                return {
	                    type: 'block-scalar',
	                    offset: this.offset,
	                    indent: this.indent,
	                    props: [this.sourceToken],
	                    source: ''
	                };
	            case 'flow-map-start':
	            case 'flow-seq-start':
	                return {
	                    type: 'flow-collection',
	                    offset: this.offset,
	                    indent: this.indent,
	                    start: this.sourceToken,
	                    items: [],
	                    end: []
	                };
	            case 'seq-item-ind':
	                return {
	                    type: 'block-seq',
	                    offset: this.offset,
	                    indent: this.indent,
	                    items: [{ start: [this.sourceToken] }]
	                };
	            case 'explicit-key-ind': {
	                this.onKeyLine = true;
	                const prev = getPrevProps(parent);
	                const start = getFirstKeyStartProps(prev);
	                start.push(this.sourceToken);
	                return {
	                    type: 'block-map',
	                    offset: this.offset,
	                    indent: this.indent,
	                    items: [{ start, explicitKey: true }]
	                };
	            }
	            case 'map-value-ind': {
	                this.onKeyLine = true;
	                const prev = getPrevProps(parent);
	                const start = getFirstKeyStartProps(prev);
	                return {
	                    type: 'block-map',
	                    offset: this.offset,
	                    indent: this.indent,
	                    items: [{ start, key: null, sep: [this.sourceToken] }]
	                };
	            }
	        }
	        return null;
	    }
	    atIndentedComment(start, indent) {
	        if (this.type !== 'comment')
	            return false;
	        if (this.indent <= indent)
	            return false;
	        return start.every(st => st.type === 'newline' || st.type === 'space');
	    }
	    *documentEnd(docEnd) {
	        if (this.type !== 'doc-mode') {
	            if (docEnd.end)
	                docEnd.end.push(this.sourceToken);
	            else
	                docEnd.end = [this.sourceToken];
	            if (this.type === 'newline')
	                yield* this.pop();
	        }
	    }
	    *lineEnd(token) {
	        switch (this.type) {
	            case 'comma':
	            case 'doc-start':
	            case 'doc-end':
	            case 'flow-seq-end':
	            case 'flow-map-end':
	            case 'map-value-ind':
	                yield* this.pop();
	                yield* this.step();
	                break;
	            case 'newline':
	                this.onKeyLine = false;
	            // fallthrough
	            case 'space':
	            case 'comment':
	            default:
	                // all other values are errors
	                if (token.end)
	                    token.end.push(this.sourceToken);
	                else
	                    token.end = [this.sourceToken];
	                if (this.type === 'newline')
	                    yield* this.pop();
	        }
	    }
	}

	parser$1.Parser = Parser;
	return parser$1;
}

var publicApi = {};

var hasRequiredPublicApi;

function requirePublicApi () {
	if (hasRequiredPublicApi) return publicApi;
	hasRequiredPublicApi = 1;

	var composer = requireComposer();
	var Document = requireDocument();
	var errors = requireErrors$1();
	var log = requireLog();
	var identity = requireIdentity();
	var lineCounter = requireLineCounter();
	var parser = requireParser$1();

	function parseOptions(options) {
	    const prettyErrors = options.prettyErrors !== false;
	    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
	    return { lineCounter: lineCounter$1, prettyErrors };
	}
	/**
	 * Parse the input as a stream of YAML documents.
	 *
	 * Documents should be separated from each other by `...` or `---` marker lines.
	 *
	 * @returns If an empty `docs` array is returned, it will be of type
	 *   EmptyStream and contain additional stream information. In
	 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
	 */
	function parseAllDocuments(source, options = {}) {
	    const { lineCounter, prettyErrors } = parseOptions(options);
	    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
	    const composer$1 = new composer.Composer(options);
	    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
	    if (prettyErrors && lineCounter)
	        for (const doc of docs) {
	            doc.errors.forEach(errors.prettifyError(source, lineCounter));
	            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
	        }
	    if (docs.length > 0)
	        return docs;
	    return Object.assign([], { empty: true }, composer$1.streamInfo());
	}
	/** Parse an input string into a single YAML.Document */
	function parseDocument(source, options = {}) {
	    const { lineCounter, prettyErrors } = parseOptions(options);
	    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
	    const composer$1 = new composer.Composer(options);
	    // `doc` is always set by compose.end(true) at the very latest
	    let doc = null;
	    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
	        if (!doc)
	            doc = _doc;
	        else if (doc.options.logLevel !== 'silent') {
	            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
	            break;
	        }
	    }
	    if (prettyErrors && lineCounter) {
	        doc.errors.forEach(errors.prettifyError(source, lineCounter));
	        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
	    }
	    return doc;
	}
	function parse(src, reviver, options) {
	    let _reviver = undefined;
	    if (typeof reviver === 'function') {
	        _reviver = reviver;
	    }
	    else if (options === undefined && reviver && typeof reviver === 'object') {
	        options = reviver;
	    }
	    const doc = parseDocument(src, options);
	    if (!doc)
	        return null;
	    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
	    if (doc.errors.length > 0) {
	        if (doc.options.logLevel !== 'silent')
	            throw doc.errors[0];
	        else
	            doc.errors = [];
	    }
	    return doc.toJS(Object.assign({ reviver: _reviver }, options));
	}
	function stringify(value, replacer, options) {
	    let _replacer = null;
	    if (typeof replacer === 'function' || Array.isArray(replacer)) {
	        _replacer = replacer;
	    }
	    else if (options === undefined && replacer) {
	        options = replacer;
	    }
	    if (typeof options === 'string')
	        options = options.length;
	    if (typeof options === 'number') {
	        const indent = Math.round(options);
	        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
	    }
	    if (value === undefined) {
	        const { keepUndefined } = options ?? replacer ?? {};
	        if (!keepUndefined)
	            return undefined;
	    }
	    if (identity.isDocument(value) && !_replacer)
	        return value.toString(options);
	    return new Document.Document(value, _replacer, options).toString(options);
	}

	publicApi.parse = parse;
	publicApi.parseAllDocuments = parseAllDocuments;
	publicApi.parseDocument = parseDocument;
	publicApi.stringify = stringify;
	return publicApi;
}

var hasRequiredDist;

function requireDist () {
	if (hasRequiredDist) return dist;
	hasRequiredDist = 1;

	var composer = requireComposer();
	var Document = requireDocument();
	var Schema = requireSchema();
	var errors = requireErrors$1();
	var Alias = requireAlias();
	var identity = requireIdentity();
	var Pair = requirePair();
	var Scalar = requireScalar();
	var YAMLMap = requireYAMLMap();
	var YAMLSeq = requireYAMLSeq();
	var cst = requireCst();
	var lexer = requireLexer();
	var lineCounter = requireLineCounter();
	var parser = requireParser$1();
	var publicApi = requirePublicApi();
	var visit = requireVisit();



	dist.Composer = composer.Composer;
	dist.Document = Document.Document;
	dist.Schema = Schema.Schema;
	dist.YAMLError = errors.YAMLError;
	dist.YAMLParseError = errors.YAMLParseError;
	dist.YAMLWarning = errors.YAMLWarning;
	dist.Alias = Alias.Alias;
	dist.isAlias = identity.isAlias;
	dist.isCollection = identity.isCollection;
	dist.isDocument = identity.isDocument;
	dist.isMap = identity.isMap;
	dist.isNode = identity.isNode;
	dist.isPair = identity.isPair;
	dist.isScalar = identity.isScalar;
	dist.isSeq = identity.isSeq;
	dist.Pair = Pair.Pair;
	dist.Scalar = Scalar.Scalar;
	dist.YAMLMap = YAMLMap.YAMLMap;
	dist.YAMLSeq = YAMLSeq.YAMLSeq;
	dist.CST = cst;
	dist.Lexer = lexer.Lexer;
	dist.LineCounter = lineCounter.LineCounter;
	dist.Parser = parser.Parser;
	dist.parse = publicApi.parse;
	dist.parseAllDocuments = publicApi.parseAllDocuments;
	dist.parseDocument = publicApi.parseDocument;
	dist.stringify = publicApi.stringify;
	dist.visit = visit.visit;
	dist.visitAsync = visit.visitAsync;
	return dist;
}

var distExports = requireDist();

var ignore$1;
var hasRequiredIgnore;

function requireIgnore () {
	if (hasRequiredIgnore) return ignore$1;
	hasRequiredIgnore = 1;
	/**
	 * @license
	 * Copyright 2020 Balena Ltd.
	 *
	 * Licensed under the Apache License, Version 2.0 (the "License");
	 * you may not use this file except in compliance with the License.
	 * You may obtain a copy of the License at
	 *
	 *    http://www.apache.org/licenses/LICENSE-2.0
	 *
	 * Unless required by applicable law or agreed to in writing, software
	 * distributed under the License is distributed on an "AS IS" BASIS,
	 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
	 * See the License for the specific language governing permissions and
	 * limitations under the License.
	 *
	 * ------------------------------------------------------------------------
	 *
	 * Copyright 2018 Zeit, Inc.
	 * Licensed under the MIT License. See file LICENSE.md for a full copy.
	 *
	 * ------------------------------------------------------------------------
	 */

	/**
	 * This module implements the [dockerignore
	 * spec](https://docs.docker.com/engine/reference/builder/#dockerignore-file),
	 * closely following Docker's (Moby) Golang implementation:
	 * https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go
	 * https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go
	 * https://github.com/moby/moby/blob/v19.03.8/pkg/archive/archive.go#L825
	 *
	 * Something the spec is not clear about, but we discovered by reading source code
	 * and testing against the "docker build" command, is the handling of backslashes and
	 * forward slashes as path separators and escape characters in the .dockerignore file
	 * across platforms including Windows, Linux and macOS:
	 *
	 * * On Linux and macOS, only forward slashes can be used as path separators in the
	 *   .dockerignore file, and the backslash works as an escape character.
	 * * On Windows, both forward slashes and backslashes are allowed as path separators
	 *   in the .dockerignore file, and the backslash is not used as an escape character.
	 *
	 * This is consistent with how Windows works generally: both forward slashes and
	 * backslashes are accepted as path separators by the cmd.exe Command Prompt or
	 * PowerShell, and by library functions like the Golang filepath.Clean or the
	 * Node.js path.normalize.
	 *
	 * Similarly, path strings provided to the IgnoreBase.ignores() and IgnoreBase.filter()
	 * methods can use either forward slashes or backslashes as path separators on Windows,
	 * but only forward slashes are accepted as path separators on Linux and macOS.
	 */

	const path = require$$0$3;

	const factory = options => new IgnoreBase(options); // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L538-L539
	// Fixes typescript module import


	factory.default = factory;
	ignore$1 = factory;

	function make_array(subject) {
	  return Array.isArray(subject) ? subject : [subject];
	}

	const REGEX_TRAILING_SLASH = /(?<=.)\/$/;
	const REGEX_TRAILING_BACKSLASH = /(?<=.)\\$/;
	const REGEX_TRAILING_PATH_SEP = path.sep === '\\' ? REGEX_TRAILING_BACKSLASH : REGEX_TRAILING_SLASH;
	const KEY_IGNORE = typeof Symbol !== 'undefined' ? Symbol.for('dockerignore') : 'dockerignore'; // An implementation of Go's filepath.Clean
	// https://golang.org/pkg/path/filepath/#Clean
	// https://github.com/golang/go/blob/master/src/path/filepath/path.go
	// Note that, like Go, on Windows this function converts forward slashes
	// to backslashes.

	function cleanPath(file) {
	  return path.normalize(file).replace(REGEX_TRAILING_PATH_SEP, '');
	} // Javascript port of Golang's filepath.ToSlash
	// https://golang.org/pkg/path/filepath/#ToSlash
	// https://github.com/golang/go/blob/master/src/path/filepath/path.go
	// Convert any OS-specific path separator to '/'. Backslash is converted
	// to forward slash on Windows, but not on Linux/macOS.
	// Note that both forward slashes and backslashes are valid path separators on
	// Windows. As a result, code such as `pattern.split(path.sep).join('/')` fails
	// on Windows when forward slashes are used as path separators.


	function toSlash(file) {
	  if (path.sep === '/') {
	    return file;
	  }

	  return file.replace(/\\/g, '/');
	} // Javascript port of Golang's filepath.FromSlash
	// https://github.com/golang/go/blob/master/src/path/filepath/path.go


	function fromSlash(file) {
	  if (path.sep === '/') {
	    return file;
	  }

	  return file.replace(/\//g, path.sep);
	}

	class IgnoreBase {
	  constructor({
	    // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L372
	    ignorecase = true
	  } = {}) {
	    this._rules = [];
	    this._ignorecase = ignorecase;
	    this[KEY_IGNORE] = true;

	    this._initCache();
	  }

	  _initCache() {
	    this._cache = {};
	  } // @param {Array.<string>|string|Ignore} pattern


	  add(pattern) {
	    this._added = false;

	    if (typeof pattern === 'string') {
	      pattern = pattern.split(/\r?\n/g);
	    }

	    make_array(pattern).forEach(this._addPattern, this); // Some rules have just added to the ignore,
	    // making the behavior changed.

	    if (this._added) {
	      this._initCache();
	    }

	    return this;
	  } // legacy


	  addPattern(pattern) {
	    return this.add(pattern);
	  }

	  _addPattern(pattern) {
	    // https://github.com/kaelzhang/node-ignore/issues/32
	    if (pattern && pattern[KEY_IGNORE]) {
	      this._rules = this._rules.concat(pattern._rules);
	      this._added = true;
	      return;
	    }

	    if (this._checkPattern(pattern)) {
	      const rule = this._createRule(pattern.trim());

	      if (rule !== null) {
	        this._added = true;

	        this._rules.push(rule);
	      }
	    }
	  }

	  _checkPattern(pattern) {
	    // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L34-L40
	    return pattern && typeof pattern === 'string' && pattern.indexOf('#') !== 0 && pattern.trim() !== "";
	  }

	  filter(paths) {
	    return make_array(paths).filter(path => this._filter(path));
	  }

	  createFilter() {
	    return path => this._filter(path);
	  }

	  ignores(path) {
	    return !this._filter(path);
	  } // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L41-L53
	  // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L29-L55


	  _createRule(pattern) {
	    const origin = pattern;
	    let negative = false; // > An optional prefix "!" which negates the pattern;
	    // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L43-L46

	    if (pattern[0] === '!') {
	      negative = true;
	      pattern = pattern.substring(1).trim();
	    } // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L47-L53


	    if (pattern.length > 0) {
	      pattern = cleanPath(pattern);
	      pattern = toSlash(pattern);

	      if (pattern.length > 1 && pattern[0] === '/') {
	        pattern = pattern.slice(1);
	      }
	    } // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L54-L55


	    if (negative) {
	      pattern = '!' + pattern;
	    } // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L30


	    pattern = pattern.trim();

	    if (pattern === "") {
	      return null;
	    } // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L34
	    // convert forward slashes to backslashes on Windows


	    pattern = cleanPath(pattern); // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L36-L42

	    if (pattern[0] === '!') {
	      if (pattern.length === 1) {
	        return null;
	      }

	      negative = true;
	      pattern = pattern.substring(1);
	    } else {
	      negative = false;
	    }

	    return {
	      origin,
	      pattern,
	      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L54
	      dirs: pattern.split(path.sep),
	      negative
	    };
	  } // @returns `Boolean` true if the `path` is NOT ignored


	  _filter(path) {
	    if (!path) {
	      return false;
	    }

	    if (path in this._cache) {
	      return this._cache[path];
	    }

	    return this._cache[path] = this._test(path);
	  } // @returns {Boolean} true if a file is NOT ignored
	  // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L62


	  _test(file) {
	    file = fromSlash(file); // equivalent to golang filepath.Dir() https://golang.org/src/path/filepath/path.go

	    const parentPath = cleanPath(path.dirname(file));
	    const parentPathDirs = parentPath.split(path.sep);
	    let matched = false;

	    this._rules.forEach(rule => {
	      let match = this._match(file, rule); // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L80


	      if (!match && parentPath !== ".") {
	        // Check to see if the pattern matches one of our parent dirs.
	        if (rule.dirs.includes('**')) {
	          // Ah shucks! We have to test every possible parent path that has 
	          // a number of dirs _n_ where 
	          // `rule.dirs.filter(doubleStar).length <= _n_ <= parentPathDirs.length`
	          // since the ** can imply any number of directories including 0
	          for (let i = rule.dirs.filter(x => x !== '**').length; i <= parentPathDirs.length; i++) {
	            match = match || this._match(parentPathDirs.slice(0, i).join(path.sep), rule);
	          }
	        } else if (rule.dirs.length <= parentPathDirs.length) {
	          // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L83
	          match = this._match(parentPathDirs.slice(0, rule.dirs.length).join(path.sep), rule);
	        }
	      }

	      if (match) {
	        matched = !rule.negative;
	      }
	    });

	    return !matched;
	  } // @returns {Boolean} true if a file is matched by a rule


	  _match(file, rule) {
	    return this._compile(rule).regexp.test(file);
	  } // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L139


	  _compile(rule) {
	    if (rule.regexp) {
	      return rule;
	    }

	    let regStr = '^'; // Go through the pattern and convert it to a regexp.

	    let escapedSlash = path.sep === '\\' ? '\\\\' : path.sep;

	    for (let i = 0; i < rule.pattern.length; i++) {
	      const ch = rule.pattern[i];

	      if (ch === '*') {
	        if (rule.pattern[i + 1] === '*') {
	          // is some flavor of "**"
	          i++; // Treat **/ as ** so eat the "/"

	          if (rule.pattern[i + 1] === path.sep) {
	            i++;
	          }

	          if (rule.pattern[i + 1] === undefined) {
	            // is "**EOF" - to align with .gitignore just accept all
	            regStr += ".*";
	          } else {
	            // is "**"
	            // Note that this allows for any # of /'s (even 0) because
	            // the .* will eat everything, even /'s
	            regStr += `(.*${escapedSlash})?`;
	          }
	        } else {
	          // is "*" so map it to anything but "/"
	          regStr += `[^${escapedSlash}]*`;
	        }
	      } else if (ch === '?') {
	        // "?" is any char except "/"
	        regStr += `[^${escapedSlash}]`;
	      } else if (ch === '.' || ch === '$') {
	        // Escape some regexp special chars that have no meaning
	        // in golang's filepath.Match
	        regStr += `\\${ch}`;
	      } else if (ch === '\\') {
	        // escape next char. Note that a trailing \ in the pattern
	        // will be left alone (but need to escape it)
	        if (path.sep === '\\') {
	          // On windows map "\" to "\\", meaning an escaped backslash,
	          // and then just continue because filepath.Match on
	          // Windows doesn't allow escaping at all
	          regStr += escapedSlash;
	          continue;
	        }

	        if (rule.pattern[i + 1] !== undefined) {
	          regStr += '\\' + rule.pattern[i + 1];
	          i++;
	        } else {
	          regStr += '\\';
	        }
	      } else {
	        regStr += ch;
	      }
	    }

	    regStr += "$";
	    rule.regexp = new RegExp(regStr, this._ignorecase ? 'i' : '');
	    return rule;
	  }

	}
	return ignore$1;
}

var ignoreExports = requireIgnore();
var dockerignore = /*@__PURE__*/getDefaultExportFromCjs(ignoreExports);

// Values that look like secrets but are not: documented example keys, template placeholders and variable
// references. Dropping them is what keeps the scanner quiet on docs, samples and `${NPM_TOKEN}`-style templates.
/** Keys published in vendor documentation (AWS docs, etc.): never real. */
const DOCUMENTED_EXAMPLES = new Set([
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AKIAI44QH8DHBEXAMPLE',
    'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'
]);
const PLACEHOLDER_WORDS = new Set([
    'changeme', 'change_me', 'change-me', 'changeit', 'placeholder', 'dummy', 'example', 'sample', 'secret', 'secrets',
    'password', 'passwd', 'pass', 'token', 'apikey', 'api_key', 'redacted', 'hidden', 'masked', 'none', 'null', 'nil',
    'undefined', 'true', 'false', 'yes', 'no', 'on', 'off', 'todo', 'fixme', 'test', 'testing', 'empty', 'default',
    'required', 'optional', 'unset', 'notset', 'not-set', 'tbd', 'foo', 'bar', 'foobar', 'xyz', 'abc', 'abc123',
    'mysecret', 'mypassword', 'mytoken', 'secret123', 'password123', 'letmein', 'admin', 'root', 'user', 'username'
]);
/** True for values that are references or placeholders rather than a literal secret. */
function isPlaceholder(raw) {
    const value = raw.trim().replace(/^["']|["']$/g, '');
    if (value.length === 0)
        return true;
    if (DOCUMENTED_EXAMPLES.has(value))
        return true;
    // Variable references: ${VAR}, $VAR, $(cmd), %VAR%, {{ template }}, <your-token>, [token].
    if (/\$\{[^}]*\}|^\$[A-Za-z_(]|\$\(|^%[A-Za-z_][A-Za-z0-9_]*%$|\{\{.*\}\}|^<[^<>]*>$|^\[[^\]]*\]$/.test(value))
        return true;
    if (PLACEHOLDER_WORDS.has(value.toLowerCase()))
        return true;
    // One repeated character (xxxx, ****, 0000) or an x/* mask (xxx-xxx).
    if (/^(.)\1*$/.test(value) || /^[xX*.#_-]+$/.test(value))
        return true;
    // …also after a token-type prefix (`ghp_xxxxxxxx…`, `sk_live_0000…`).
    const body = value.replace(/^(?:[A-Za-z]{2,6}[_-]){1,2}/, '');
    if (body !== value && body.length >= 8 && (/^(.)\1*$/.test(body) || /^[xX*]+$/.test(body)))
        return true;
    // Documentation conventions: EXAMPLE / your_token_here / <insert …> anywhere in the value.
    if (/EXAMPLE|example|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|_here$|^insert[_-]|replace[_-]?me/i.test(value))
        return true;
    return false;
}
/** Shannon entropy in bits per character. */
function entropy(value) {
    const counts = new Map();
    for (const ch of value)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / value.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

const startsWithAny = (prefixes) => (value) => prefixes.find((p) => value.startsWith(p)) ?? '';

// AWS access key ids have a fixed shape (4-letter type prefix + 16 base32 chars). Secret access keys are 40
// base64 chars with no prefix, so they are only recognised next to their name (env var, credentials file, JSON).
const KEY_ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'AGPA'];
const awsAccessKeyId = {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    description: 'AWS access key id (AKIA…/ASIA…): identifies a credential whose secret key is usually stored next to it.',
    severity: 'error',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: /(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    maskPrefix: startsWithAny(KEY_ID_PREFIXES)
};
const awsSecretAccessKey = {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    description: 'AWS secret access key, recognised by its name (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, SecretAccessKey).',
    severity: 'error',
    keywords: ['secret_access_key', 'secretaccesskey', 'aws_secret_key'],
    caseInsensitiveKeywords: true,
    pattern: /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    // Real keys are random base64: mixed classes and high entropy; a word or a hex digest is not one.
    assess: (v) => isPlaceholder(v) || !/[A-Z]/.test(v) || !/[a-z]/.test(v) || !/[0-9]/.test(v) || entropy(v) < 4 ? undefined : { confidence: 'high' },
    keepTail: true
};

// Detectors that only make sense inside a known credential file: the Docker CLI config's `auths`, `.netrc`
// `password` tokens and `.pypirc` `password =` lines. Elsewhere the same words are everyday prose.
const base$1 = (path) => path.slice(path.lastIndexOf('/') + 1);
const dockerConfigAuth = {
    id: 'docker-config-auth',
    title: 'registry credential',
    description: 'Docker CLI config (`.docker/config.json`) with an `auths` entry holding `auth` (base64 user:password) or an identity token.',
    severity: 'error',
    keywords: ['"auth"', '"identitytoken"'],
    pattern: /"(?:auth|identitytoken)"\s*:\s*"(?<secret>[A-Za-z0-9+/=._-]{8,})"/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    keepTail: false,
    appliesTo: (p) => /(?:^|\/)\.docker\/config\.json$/.test(p) || /(?:^|\/)\.dockercfg$/.test(p)
};
const netrcPassword = {
    id: 'netrc-password',
    title: '.netrc password',
    description: '`.netrc` machine entry with a `password`.',
    severity: 'error',
    keywords: ['password'],
    pattern: /(?:^|\s)password\s+(?<secret>\S+)/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    keepTail: false,
    appliesTo: (p) => ['.netrc', '_netrc'].includes(base$1(p))
};
const pypircPassword = {
    id: 'pypirc-password',
    title: '.pypirc password',
    description: '`.pypirc` index section with a `password` (PyPI API token or account password).',
    severity: 'error',
    keywords: ['password'],
    pattern: /^[ \t]*password[ \t]*[:=][ \t]*(?<secret>\S+)/gm,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    maskPrefix: (v) => (v.startsWith('pypi-') ? 'pypi-' : ''),
    appliesTo: (p) => base$1(p) === '.pypirc'
};
const pgpassPassword = {
    id: 'pgpass-password',
    title: '.pgpass password',
    description: 'PostgreSQL `.pgpass` line (`host:port:database:user:password`).',
    severity: 'error',
    keywords: [':'],
    pattern: /^[^:\n#]*:[^:\n]*:[^:\n]*:[^:\n]*:(?<secret>[^\n]+)$/gm,
    assess: (v) => (isPlaceholder(v.trim()) ? undefined : { confidence: 'high' }),
    keepTail: false,
    appliesTo: (p) => base$1(p) === '.pgpass'
};

// GitHub tokens. Classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) end in a checksum: the last 6 characters are the
// base62 CRC32 of the 30 random characters after the prefix, so a passing checksum is a near-certain real token
// and a failing one is usually a made-up string in docs or tests (reported as a warning).
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Base62 of an unsigned 32-bit number, left-padded with `0` to 6 characters (GitHub's checksum encoding). */
function base62Checksum(n) {
    let out = '';
    let rest = n >>> 0;
    do {
        out = BASE62[rest % 62] + out;
        rest = Math.floor(rest / 62);
    } while (rest > 0);
    return out.padStart(6, '0');
}
/** True when a classic token's last 6 characters are the checksum of the 30 characters before them. */
function githubChecksumValid(token) {
    const body = token.slice(4);
    if (body.length !== 36)
        return false;
    return base62Checksum(crc32(body.slice(0, 30))) === body.slice(30);
}
const githubClassic = {
    id: 'github-classic',
    title: 'GitHub token',
    description: 'GitHub classic token (ghp_, gho_, ghu_, ghs_, ghr_); the embedded CRC32 checksum ranks confidence.',
    severity: 'error',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    assess: (v) => {
        if (isPlaceholder(v))
            return undefined;
        return githubChecksumValid(v) ? { confidence: 'high' } : { confidence: 'low', severity: 'warning' };
    },
    maskPrefix: startsWithAny(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'])
};
const githubFineGrained = {
    id: 'github-fine-grained',
    title: 'GitHub fine-grained token',
    description: 'GitHub fine-grained personal access token (github_pat_…).',
    severity: 'error',
    keywords: ['github_pat_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    maskPrefix: () => 'github_pat_'
};

// GitLab tokens carry a type prefix: glpat- (personal), gldt- (deploy), glrt- (runner), glptt- (pipeline trigger).
const PREFIXES = ['glpat-', 'gldt-', 'glrt-', 'glptt-'];
const gitlabToken = {
    id: 'gitlab-token',
    title: 'GitLab token',
    description: 'GitLab personal, deploy, runner or trigger token (glpat-, gldt-, glrt-, glptt-).',
    severity: 'error',
    keywords: PREFIXES,
    pattern: /(?<![A-Za-z0-9_-])(?<secret>(?:glpat|gldt|glrt|glptt)-[A-Za-z0-9_-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,10})?)(?![A-Za-z0-9_-])/g,
    assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v.slice(5)) ? undefined : { confidence: 'high' }),
    maskPrefix: startsWithAny(PREFIXES)
};

// Google API keys (AIza…) and service-account key files (JSON with "type": "service_account" and a private_key).
// API keys are often meant to be public (browser/Firebase keys restricted by referrer), hence a warning.
const googleApiKey = {
    id: 'google-api-key',
    title: 'Google API key',
    description: 'Google API key (AIza…); often restricted and public by design, so reported as a warning.',
    severity: 'warning',
    keywords: ['AIza'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    maskPrefix: () => 'AIza'
};
const googleServiceAccount = {
    id: 'google-service-account',
    title: 'Google service-account key',
    description: 'Google Cloud service-account key JSON (`"type": "service_account"` with a `private_key`).',
    severity: 'error',
    keywords: ['service_account'],
    // The secret is the JSON-escaped PEM in private_key; the type marker must appear in the same document.
    pattern: /"type"\s*:\s*"service_account"[\s\S]{0,4096}?"private_key"\s*:\s*"(?<secret>-----BEGIN [A-Z ]*PRIVATE KEY-----[^"]{64,}?-----END [A-Z ]*PRIVATE KEY-----(?:\\n)?)"/g,
    assess: () => ({ confidence: 'high' }),
    maskPrefix: (v) => /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.exec(v)?.[0] ?? '',
    keepTail: false
};

function decodesToJwtHeader(segment) {
    try {
        const header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
        return typeof header === 'object' && header !== null && 'alg' in header;
    }
    catch {
        return false;
    }
}
const jwt = {
    id: 'jwt',
    title: 'JSON Web Token',
    description: 'JSON Web Token (eyJ….eyJ….…); informational: usually short-lived, but may be a long-lived service token.',
    severity: 'info',
    keywords: ['eyJ'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    assess: (v) => (decodesToJwtHeader(v.slice(0, v.indexOf('.'))) ? { confidence: 'medium' } : undefined),
    maskPrefix: () => 'eyJ'
};

// npm automation / publish / granular tokens: `npm_` + 36 base62 characters.
const npmToken = {
    id: 'npm-token',
    title: 'npm token',
    description: 'npm access token (npm_…).',
    severity: 'error',
    keywords: ['npm_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v) ? undefined : { confidence: 'high' }),
    maskPrefix: () => 'npm_'
};

// OpenAI API keys: `sk-` (legacy) or `sk-proj-` + a long base62/underscore/dash body.
const openaiKey = {
    id: 'openai-key',
    title: 'OpenAI key',
    description: 'OpenAI API key (sk-…, sk-proj-…).',
    severity: 'error',
    keywords: ['sk-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?:proj-)?[A-Za-z0-9_-]{32,})(?![A-Za-z0-9_-])/g,
    // Real keys mix digits and letters; `sk-this-is-not-a-real-key-at-all…` does not.
    assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v) || !/[A-Z]/.test(v) ? undefined : { confidence: 'medium' }),
    maskPrefix: (v) => (v.startsWith('sk-proj-') ? 'sk-proj-' : 'sk-')
};

const pypiToken = {
    id: 'pypi-token',
    title: 'PyPI token',
    description: 'PyPI upload token (pypi-AgEIcHlwaS5vcmc…).',
    severity: 'error',
    keywords: ['pypi-AgEIcHlwaS5vcmc'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,})/g,
    maskPrefix: () => 'pypi-'
};

// `.npmrc` credentials: `_authToken=`, `_auth=` (base64 user:pass) and `_password=` with a literal value, scoped
// (`//registry.example.com/:_authToken=`) or not. `${NPM_TOKEN}` references are how it should be done and are skipped.
// Runs on every text, not only files named .npmrc: `echo "//…:_authToken=…" > .npmrc` in a RUN leaks it too.
const npmrcAuth = {
    id: 'npmrc-auth',
    title: '.npmrc credential',
    description: '.npmrc `_authToken`, `_auth` or `_password` entry with a literal value (not `${VAR}`).',
    severity: 'error',
    keywords: ['_authToken', '_auth', '_password'],
    pattern: /(?:^|[\s"'`:])_(?:authToken|auth|password)\s*=\s*["']?(?<secret>[^\s"'`;#]{8,})/gm,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    keepTail: true
};

const HEADER = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const privateKey = {
    id: 'private-key',
    title: 'private key',
    description: 'PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, PGP).',
    severity: 'error',
    keywords: ['PRIVATE KEY'],
    pattern: /(?<secret>-----BEGIN (?<kind>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]{32,65536}?-----END \k<kind>-----)/g,
    assess: (v) => {
        const body = v
            .replace(HEADER, '')
            .replace(/-----END [\s\S]*$/, '')
            .replace(/\\n|\\r|\s/g, '')
            .replace(/^(?:Proc-Type|DEK-Info|Version|Comment):[^A-Za-z0-9+/]*/gm, '');
        const base64 = body.match(/[A-Za-z0-9+/=]/g)?.length ?? 0;
        if (base64 < 64 || base64 / body.length < 0.9)
            return undefined;
        const encrypted = /ENCRYPTED/.test(v);
        return encrypted ? { confidence: 'medium', severity: 'warning' } : { confidence: 'high' };
    },
    maskPrefix: (v) => HEADER.exec(v)?.[0] ?? '',
    keepTail: false
};

// Name-based rule: a build arg, ENV variable, label or `.env` entry whose NAME says it holds a secret
// (TOKEN, SECRET, PASSWORD/PASSWD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH as a whole word of the name) is reported
// with any literal value, whatever its entropy: `ARG DB_PASSWORD=hunter2` leaks as surely as a random token.
// Names that point at a secret rather than hold one (`*_FILE`, `*_PATH`, `*_URL`…) and placeholder values are not.
const SECRET_WORD = /(?:^|_)(?:TOKENS?|SECRETS?|PASSWORDS?|PASSWD|PASSPHRASE|API_?KEYS?|CREDENTIALS?|CREDS|PRIVATE_?KEY|AUTH)(?:_|$)/;
/** The variable names a location, a switch or a non-secret attribute of the secret. */
const POINTER_SUFFIX = /_(?:FILE|FILES|PATH|DIR|URL|URI|HOST|PORT|USER|USERNAME|NAME|ID|TYPE|MODE|METHOD|ENABLED|DISABLED|REQUIRED|TTL|TIMEOUT|EXPIRY|EXPIRES|EXPIRATION|LENGTH|SIZE|HEADER|ENDPOINT|VERSION|PROVIDER|REGION|SCOPES?|ALGORITHM|ALG|FORMAT|PREFIX|ENV|VAR|NAMESPACE|STRATEGY|SERVER|REALM|ISSUER|AUDIENCE)$/;
/** `npmToken`, `npm-token`, `npm.token` → `NPM_TOKEN`. */
function normaliseName(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .toUpperCase();
}
function isSecretName(name) {
    const n = normaliseName(name);
    return SECRET_WORD.test(n) && !POINTER_SUFFIX.test(n);
}
/** The name-rule verdict for one NAME=value pair (shared by history, config and `.env` scanning). */
function assessNamedValue(name, value) {
    if (name === undefined || !isSecretName(name))
        return undefined;
    const v = value.trim();
    // Shorter than 4 characters or a plain small number (`TOKEN_BUCKET=10`) is a setting, not a credential.
    if (v.length < 4 || /^\d{1,6}$/.test(v) || isPlaceholder(v))
        return undefined;
    // A path or file: reference points at the secret (`NPM_TOKEN=/run/secrets/npm`), it is not the secret.
    if (/^(?:\/|\.\.?\/|~\/|file:)/.test(v))
        return undefined;
    return { confidence: 'medium' };
}
const secretName = {
    id: 'secret-name',
    title: 'secret-named variable',
    description: 'Build arg, ENV variable, label or .env entry whose name says it is a secret (TOKEN, SECRET, PASSWORD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH), with a literal value.',
    severity: 'warning',
    keywords: ['='],
    pattern: /^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*["']?(?<secret>[^\s"'#]+)/gm,
    assess: (value, name) => assessNamedValue(name, value),
    keepTail: true,
    // In files, only dotenv files are read as NAME=value lists; history and config pairs call assessNamedValue.
    appliesTo: (p) => /(?:^|\/)\.env(?:\.[A-Za-z0-9_-]+)?$/.test(p) && !/\.(?:example|sample|template|dist|defaults?)$/.test(p)
};

// Slack bot/user/app tokens (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xapp-) and incoming webhooks.
const slackToken = {
    id: 'slack-token',
    title: 'Slack token',
    description: 'Slack token (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xapp-).',
    severity: 'error',
    keywords: ['xox', 'xapp-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>(?:xox[abposr]|xapp)-[0-9A-Za-z]{1,40}-[0-9A-Za-z-]{8,200})(?![A-Za-z0-9_-])/g,
    assess: (v) => (isPlaceholder(v) || !/\d/.test(v) ? undefined : { confidence: 'high' }),
    maskPrefix: (v) => v.slice(0, v.indexOf('-') + 1)
};
const WEBHOOK_PREFIX = 'https://hooks.slack.com/';
const slackWebhook = {
    id: 'slack-webhook',
    title: 'Slack webhook URL',
    description: 'Slack incoming webhook URL (hooks.slack.com/services/…): anyone holding it can post to the channel.',
    severity: 'error',
    keywords: ['hooks.slack.com'],
    pattern: /(?<secret>https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{20,40})(?![A-Za-z0-9])/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    maskPrefix: (v) => v.slice(0, v.indexOf('/', WEBHOOK_PREFIX.length) + 1)
};

// Stripe live secret and restricted keys. Test-mode keys (sk_test_) move no money and are not reported.
const stripeLiveKey = {
    id: 'stripe-live-key',
    title: 'Stripe live key',
    description: 'Stripe live secret or restricted key (sk_live_, rk_live_).',
    severity: 'error',
    keywords: ['sk_live_', 'rk_live_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>[sr]k_live_[0-9A-Za-z]{24,247})(?![A-Za-z0-9_])/g,
    assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
    maskPrefix: startsWithAny(['sk_live_', 'rk_live_'])
};

// URLs with an inline password (`https://user:password@host`, `postgres://app:pw@db/app`). The secret is the
// password; user and host stay readable in the message because they say which credential to rotate.
const urlCredentials = {
    id: 'url-credentials',
    title: 'password in URL',
    description: 'URL with an inline `user:password@` (git remotes, database URLs, registry mirrors).',
    severity: 'warning',
    keywords: ['://'],
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"<>`]{1,128}:(?<secret>[^\s:@/'"<>`]{3,256})@[A-Za-z0-9][A-Za-z0-9.-]*/g,
    assess: (v) => (isPlaceholder(v) || /^\$|^\*+$|%s|^:/.test(v) ? undefined : { confidence: 'medium' }),
    keepTail: false
};

// The detector catalogue, in priority order: when two detectors match overlapping text, the earlier (more
// specific) one wins, so an npm token inside `_authToken=` is reported as an npm token, a PEM inside a
// service-account JSON as a service-account key, a GitHub token inside a URL as a GitHub token.
const detectors = [
    googleServiceAccount,
    privateKey,
    githubFineGrained,
    githubClassic,
    gitlabToken,
    npmToken,
    pypiToken,
    openaiKey,
    slackWebhook,
    slackToken,
    stripeLiveKey,
    awsAccessKeyId,
    awsSecretAccessKey,
    googleApiKey,
    npmrcAuth,
    dockerConfigAuth,
    netrcPassword,
    pypircPassword,
    pgpassPassword,
    secretName,
    urlCredentials,
    jwt
];

// Runs the detector catalogue over one piece of text (a file's content, a history line, an ENV pair).
// Compiled once with the `d` flag so the secret's own offset is known (for line numbers and overlap checks).
const compiled = new Map();
function withIndices(d) {
    let re = compiled.get(d);
    if (!re) {
        re = new RegExp(d.pattern.source, d.pattern.flags.includes('d') ? d.pattern.flags : d.pattern.flags + 'd');
        compiled.set(d, re);
    }
    return re;
}
/** Every secret in `text`, at most one per span (overlaps resolved by catalogue order). */
function scanText(text, opts = {}) {
    const list = opts.detectors ?? detectors;
    let lower;
    const found = [];
    list.forEach((d, rank) => {
        if (d.appliesTo && (opts.path === undefined || !d.appliesTo(opts.path)))
            return;
        const hay = d.caseInsensitiveKeywords ? (lower ??= text.toLowerCase()) : text;
        if (!d.keywords.some((k) => hay.includes(k)))
            return;
        for (const m of text.matchAll(withIndices(d))) {
            const span = m.indices?.groups?.secret ?? m.indices?.[0];
            const value = m.groups?.secret ?? m[0];
            if (!span)
                continue;
            const verdict = d.assess ? d.assess(value, m.groups?.name) : { confidence: 'medium' };
            if (!verdict)
                continue;
            found.push({
                hit: { detector: d, value, index: span[0], confidence: verdict.confidence, severity: verdict.severity ?? d.severity, name: m.groups?.name },
                start: span[0],
                end: span[1],
                rank
            });
        }
    });
    if (found.length === 0)
        return [];
    found.sort((a, b) => a.rank - b.rank || a.start - b.start);
    const kept = [];
    for (const f of found) {
        if (!kept.some((k) => f.start < k.end && k.start < f.end))
            kept.push(f);
    }
    kept.sort((a, b) => a.start - b.start);
    // Line numbers in one forward pass over the kept offsets.
    const hits = [];
    let line = 1;
    let pos = 0;
    for (const { hit } of kept) {
        for (; pos < hit.index; pos++)
            if (text.charCodeAt(pos) === 10)
                line++;
        hits.push({ ...hit, line });
    }
    return hits;
}

// Masked forms and fingerprints: the only representations of a secret value that leave src/secrets.
/** Below this length a secret keeps no trailing characters: two of eight is too much of a hint. */
const MIN_LENGTH_FOR_TAIL = 16;
/**
 * `known prefix + … + last 2 chars`. The prefix is only the public type marker (`ghp_`, `AKIA`, a PEM header);
 * the tail is dropped for short values, for passwords and for PEM blocks (whose tail is just dashes).
 */
function maskValue(value, opts = {}) {
    const prefix = opts.prefix && value.startsWith(opts.prefix) && opts.prefix.length < value.length / 2 + 8 ? opts.prefix : '';
    const rest = value.length - prefix.length;
    const tail = opts.keepTail !== false && rest >= MIN_LENGTH_FOR_TAIL ? value.slice(-2) : '';
    return `${prefix}…${tail}`;
}
function maskFor(detector, value) {
    return maskValue(value, { prefix: detector.maskPrefix?.(value), keepTail: detector.keepTail });
}
/**
 * sha256(`rule:location:value`). `location` is the image path for files, and for history/config a name that
 * survives rebuilds: `history:arg:NPM_TOKEN`, `config:Env:NPM_TOKEN` — never a step index, which shifts whenever
 * a step is added above it and would orphan every suppression.
 */
function fingerprint(rule, location, value) {
    return createHash('sha256').update(`${rule}:${location}:${value}`).digest('hex');
}

// What secrets look like in a Dockerfile: token shapes, credential-bearing names, secret files. Everything that
// reports a match reports it masked (known prefix + `…` + last 2 characters); the value never leaves whole.
/** `ghp_…Xy`: prefix, an ellipsis, the last two characters (none when the value is short). */
function maskSecret(value, prefix = '') {
    if (prefix === value)
        return `${value}…`;
    const tail = value.length - prefix.length >= 8 ? value.slice(-2) : '';
    return `${prefix}…${tail}`;
}
// Token shapes come from the image scanner's detector catalogue, so the linter and the scanner agree on what a
// secret looks like. Name-based and context detectors are left out: the lint rules judge names and URLs themselves.
const TOKEN_DETECTORS = detectors.filter((d) => !['secret-name', 'url-credentials', 'npmrc-auth'].includes(d.id) && !d.appliesTo);
/** Token-shaped substrings of `text`. */
function findTokens(text) {
    return scanText(text, { detectors: TOKEN_DETECTORS })
        .map((h) => ({ kind: h.detector.title, index: h.index, length: h.value.length, masked: maskFor(h.detector, h.value) }))
        .sort((a, b) => a.index - b.index);
}
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/'"]+):([^\s@/'"]+)@/gi;
const AUTH_TOKEN_ASSIGNMENT = /(_auth(?:Token)?\s*=\s*)(["']?)([^\s"'$][^\s"']*)/g;
/** Inline credentials in a command line: tokens, `https://user:pass@`, a literal npm `_authToken=`. */
function findInlineCredentials(text) {
    const found = findTokens(text);
    for (const m of text.matchAll(URL_CREDENTIALS)) {
        const password = m[3];
        if (password.startsWith('$'))
            continue; // `https://x:${TOKEN}@` takes the value from a variable
        if (found.some((f) => f.index >= (m.index ?? 0) && f.index < (m.index ?? 0) + m[0].length))
            continue;
        found.push({
            kind: 'password in URL',
            index: m.index ?? 0,
            length: m[0].length,
            masked: `${m[1]}${m[2]}:${maskSecret(password)}@`
        });
    }
    for (const m of text.matchAll(AUTH_TOKEN_ASSIGNMENT)) {
        const start = (m.index ?? 0) + m[1].length + m[2].length;
        if (found.some((f) => f.index <= start && start < f.index + f.length))
            continue;
        found.push({ kind: 'npm auth token', index: m.index ?? 0, length: m[0].length, masked: `${m[1].trim()}${maskSecret(m[3])}` });
    }
    return found.sort((a, b) => a.index - b.index);
}
/** A human label when the path names a file that typically holds credentials (`.npmrc`, `id_rsa`, `.aws/`). */
function secretFileKind(path) {
    const clean = path.replace(/\\/g, '/').replace(/\/+$/, '');
    const parts = clean.split('/');
    const base = parts[parts.length - 1] ?? '';
    const lower = base.toLowerCase();
    if (parts.some((p) => p === '.ssh'))
        return 'an SSH directory';
    if (parts.some((p) => p === '.aws'))
        return 'AWS credentials';
    if (parts.some((p) => p === '.gnupg'))
        return 'a GnuPG keyring';
    if (lower === '.npmrc')
        return 'npm credentials (.npmrc)';
    if (lower === '.netrc' || lower === '_netrc')
        return 'a .netrc';
    if (lower === '.pypirc')
        return 'PyPI credentials (.pypirc)';
    if (lower === '.git-credentials')
        return 'Git credentials';
    if (lower === '.pgpass')
        return 'PostgreSQL passwords (.pgpass)';
    if (lower === 'config.json' && parts[parts.length - 2] === '.docker')
        return 'Docker registry credentials';
    if (lower === 'config' && parts[parts.length - 2] === '.kube')
        return 'a kubeconfig';
    if (/^\.env($|\.)/.test(lower) && !/\.(example|sample|template|dist|defaults?|schema)$/.test(lower))
        return 'an environment file';
    if (/^id_(rsa|dsa|ecdsa|ed25519)/.test(lower) && !lower.endsWith('.pub'))
        return 'an SSH private key';
    if (/\.(key|p12|pfx)$/.test(lower) && !/(^|[-_.])pub(lic)?[-_.]/.test(lower))
        return 'a private key';
    if (lower.endsWith('.pem') && !/(cert|chain|ca[-_.]|^ca\.|bundle|pub|fullchain|crt)/.test(lower))
        return 'a private key';
    if (lower.endsWith('.json') && /(credential|service[-_]?account|client[-_]?secret)/.test(lower))
        return 'a credentials file';
    return undefined;
}

// The build context on disk: which .dockerignore BuildKit uses, and which paths it would still send.
const ignore = (typeof dockerignore === 'function' ? dockerignore : dockerignore.default);
const readIfFile = async (p) => {
    try {
        return await promises.readFile(p, 'utf8');
    }
    catch {
        return undefined;
    }
};
/** BuildKit prefers `<Dockerfile name>.dockerignore` next to the Dockerfile over `<context>/.dockerignore`. */
async function findDockerignore(dockerfilePath, contextDir) {
    const specific = `${dockerfilePath}.dockerignore`;
    const specificText = await readIfFile(specific);
    if (specificText !== undefined)
        return { path: specific, patterns: specificText };
    const general = path.join(contextDir, '.dockerignore');
    const generalText = await readIfFile(general);
    return generalText === undefined ? undefined : { path: general, patterns: generalText };
}
const MAX_ENTRIES = 100_000;
// Whole directories that never belong in a build context.
const UNWANTED_DIRS = {
    '.git': 'Git history (may hold secrets removed long ago)',
    node_modules: 'installed dependencies (host-built, bloats the context, busts the cache)'
};
/**
 * Walks the context and returns paths the ignore patterns let through that never belong in a build: `.git`,
 * `node_modules`, env files, private keys, credential files. Uses Docker's matching rules (@balena/dockerignore).
 */
async function findLeakedPaths(contextDir, patterns) {
    const ig = ignore().add(patterns);
    const hasExceptions = patterns.split(/\r?\n/).some((l) => l.trim().startsWith('!'));
    const leaked = [];
    let seen = 0;
    // True when some file under `dir` would be sent (stops at the first one).
    const anyFileSent = async (rel) => {
        const stack = [rel];
        while (stack.length > 0 && seen < MAX_ENTRIES) {
            const dir = stack.pop();
            let entries;
            try {
                entries = await promises.readdir(path.join(contextDir, dir), { withFileTypes: true });
            }
            catch {
                continue;
            }
            for (const e of entries) {
                seen++;
                const child = `${dir}/${e.name}`;
                if (e.isDirectory()) {
                    if (!ig.ignores(child) || hasExceptions)
                        stack.push(child);
                }
                else if (!ig.ignores(child))
                    return true;
            }
        }
        return false;
    };
    const stack = [''];
    while (stack.length > 0 && seen < MAX_ENTRIES) {
        const dir = stack.pop();
        let entries;
        try {
            entries = await promises.readdir(path.join(contextDir, dir), { withFileTypes: true });
        }
        catch {
            continue;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        for (const e of entries) {
            seen++;
            const rel = dir ? `${dir}/${e.name}` : e.name;
            if (e.isDirectory()) {
                const unwanted = UNWANTED_DIRS[e.name];
                if (unwanted) {
                    if (!ig.ignores(rel) || hasExceptions ? await anyFileSent(rel) : false)
                        leaked.push({ path: `${rel}/`, why: unwanted });
                    continue;
                }
                const kind = secretFileKind(rel + '/');
                if (kind && (e.name === '.ssh' || e.name === '.aws' || e.name === '.gnupg')) {
                    if (!ig.ignores(rel) || hasExceptions ? await anyFileSent(rel) : false)
                        leaked.push({ path: `${rel}/`, why: kind });
                    continue;
                }
                if (!ig.ignores(rel) || hasExceptions)
                    stack.push(rel);
            }
            else if (e.isFile() || e.isSymbolicLink()) {
                const kind = secretFileKind(rel);
                if (kind && !ig.ignores(rel))
                    leaked.push({ path: rel, why: kind });
            }
        }
    }
    return leaked.sort((a, b) => a.path.localeCompare(b.path));
}

var main$2 = {};

var argument = {};

var hasRequiredArgument;

function requireArgument () {
	if (hasRequiredArgument) return argument;
	hasRequiredArgument = 1;
	Object.defineProperty(argument, "__esModule", { value: true });
	argument.Argument = void 0;
	class Argument {
	    constructor(value, range) {
	        this.value = value;
	        this.range = range;
	    }
	    toString() {
	        return this.value;
	    }
	    getRange() {
	        return this.range;
	    }
	    getValue() {
	        return this.value;
	    }
	    isAfter(position) {
	        if (this.range.end.line < position.line) {
	            return false;
	        }
	        return this.range.start.line > position.line ? true : this.range.start.character > position.character;
	    }
	    isBefore(position) {
	        if (this.range.start.line < position.line) {
	            return true;
	        }
	        return this.range.end.line > position.line ? false : this.range.end.character < position.character;
	    }
	}
	argument.Argument = Argument;
	return argument;
}

var jsonArgument = {};

var hasRequiredJsonArgument;

function requireJsonArgument () {
	if (hasRequiredJsonArgument) return jsonArgument;
	hasRequiredJsonArgument = 1;
	Object.defineProperty(jsonArgument, "__esModule", { value: true });
	jsonArgument.JSONArgument = void 0;
	const argument_1 = requireArgument();
	class JSONArgument extends argument_1.Argument {
	    constructor(value, range, jsonRange) {
	        super(value, range);
	        this.jsonRange = jsonRange;
	    }
	    getJSONRange() {
	        return this.jsonRange;
	    }
	    getJSONValue() {
	        let value = super.getValue();
	        value = value.substring(1, value.length - 1);
	        return value;
	    }
	}
	jsonArgument.JSONArgument = JSONArgument;
	return jsonArgument;
}

var comment = {};

/* --------------------------------------------------------------------------------------------
 * Copyright (c) Microsoft Corporation. All rights reserved.
 * Licensed under the MIT License. See License.txt in the project root for license information.
 * ------------------------------------------------------------------------------------------ */
var DocumentUri;
(function (DocumentUri) {
    function is(value) {
        return typeof value === 'string';
    }
    DocumentUri.is = is;
})(DocumentUri || (DocumentUri = {}));
var URI;
(function (URI) {
    function is(value) {
        return typeof value === 'string';
    }
    URI.is = is;
})(URI || (URI = {}));
var integer;
(function (integer) {
    integer.MIN_VALUE = -2147483648;
    integer.MAX_VALUE = 2147483647;
    function is(value) {
        return typeof value === 'number' && integer.MIN_VALUE <= value && value <= integer.MAX_VALUE;
    }
    integer.is = is;
})(integer || (integer = {}));
var uinteger;
(function (uinteger) {
    uinteger.MIN_VALUE = 0;
    uinteger.MAX_VALUE = 2147483647;
    function is(value) {
        return typeof value === 'number' && uinteger.MIN_VALUE <= value && value <= uinteger.MAX_VALUE;
    }
    uinteger.is = is;
})(uinteger || (uinteger = {}));
/**
 * The Position namespace provides helper functions to work with
 * {@link Position} literals.
 */
var Position;
(function (Position) {
    /**
     * Creates a new Position literal from the given line and character.
     * @param line The position's line.
     * @param character The position's character.
     */
    function create(line, character) {
        if (line === Number.MAX_VALUE) {
            line = uinteger.MAX_VALUE;
        }
        if (character === Number.MAX_VALUE) {
            character = uinteger.MAX_VALUE;
        }
        return { line, character };
    }
    Position.create = create;
    /**
     * Checks whether the given literal conforms to the {@link Position} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.uinteger(candidate.line) && Is.uinteger(candidate.character);
    }
    Position.is = is;
})(Position || (Position = {}));
/**
 * The Range namespace provides helper functions to work with
 * {@link Range} literals.
 */
var Range;
(function (Range) {
    function create(one, two, three, four) {
        if (Is.uinteger(one) && Is.uinteger(two) && Is.uinteger(three) && Is.uinteger(four)) {
            return { start: Position.create(one, two), end: Position.create(three, four) };
        }
        else if (Position.is(one) && Position.is(two)) {
            return { start: one, end: two };
        }
        else {
            throw new Error(`Range#create called with invalid arguments[${one}, ${two}, ${three}, ${four}]`);
        }
    }
    Range.create = create;
    /**
     * Checks whether the given literal conforms to the {@link Range} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Position.is(candidate.start) && Position.is(candidate.end);
    }
    Range.is = is;
})(Range || (Range = {}));
/**
 * The Location namespace provides helper functions to work with
 * {@link Location} literals.
 */
var Location;
(function (Location) {
    /**
     * Creates a Location literal.
     * @param uri The location's uri.
     * @param range The location's range.
     */
    function create(uri, range) {
        return { uri, range };
    }
    Location.create = create;
    /**
     * Checks whether the given literal conforms to the {@link Location} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && (Is.string(candidate.uri) || Is.undefined(candidate.uri));
    }
    Location.is = is;
})(Location || (Location = {}));
/**
 * The LocationLink namespace provides helper functions to work with
 * {@link LocationLink} literals.
 */
var LocationLink;
(function (LocationLink) {
    /**
     * Creates a LocationLink literal.
     * @param targetUri The definition's uri.
     * @param targetRange The full range of the definition.
     * @param targetSelectionRange The span of the symbol definition at the target.
     * @param originSelectionRange The span of the symbol being defined in the originating source file.
     */
    function create(targetUri, targetRange, targetSelectionRange, originSelectionRange) {
        return { targetUri, targetRange, targetSelectionRange, originSelectionRange };
    }
    LocationLink.create = create;
    /**
     * Checks whether the given literal conforms to the {@link LocationLink} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.targetRange) && Is.string(candidate.targetUri)
            && Range.is(candidate.targetSelectionRange)
            && (Range.is(candidate.originSelectionRange) || Is.undefined(candidate.originSelectionRange));
    }
    LocationLink.is = is;
})(LocationLink || (LocationLink = {}));
/**
 * The Color namespace provides helper functions to work with
 * {@link Color} literals.
 */
var Color;
(function (Color) {
    /**
     * Creates a new Color literal.
     */
    function create(red, green, blue, alpha) {
        return {
            red,
            green,
            blue,
            alpha,
        };
    }
    Color.create = create;
    /**
     * Checks whether the given literal conforms to the {@link Color} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.numberRange(candidate.red, 0, 1)
            && Is.numberRange(candidate.green, 0, 1)
            && Is.numberRange(candidate.blue, 0, 1)
            && Is.numberRange(candidate.alpha, 0, 1);
    }
    Color.is = is;
})(Color || (Color = {}));
/**
 * The ColorInformation namespace provides helper functions to work with
 * {@link ColorInformation} literals.
 */
var ColorInformation;
(function (ColorInformation) {
    /**
     * Creates a new ColorInformation literal.
     */
    function create(range, color) {
        return {
            range,
            color,
        };
    }
    ColorInformation.create = create;
    /**
     * Checks whether the given literal conforms to the {@link ColorInformation} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && Color.is(candidate.color);
    }
    ColorInformation.is = is;
})(ColorInformation || (ColorInformation = {}));
/**
 * The Color namespace provides helper functions to work with
 * {@link ColorPresentation} literals.
 */
var ColorPresentation;
(function (ColorPresentation) {
    /**
     * Creates a new ColorInformation literal.
     */
    function create(label, textEdit, additionalTextEdits) {
        return {
            label,
            textEdit,
            additionalTextEdits,
        };
    }
    ColorPresentation.create = create;
    /**
     * Checks whether the given literal conforms to the {@link ColorInformation} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.label)
            && (Is.undefined(candidate.textEdit) || TextEdit.is(candidate.textEdit))
            && (Is.undefined(candidate.additionalTextEdits) || Is.typedArray(candidate.additionalTextEdits, TextEdit.is));
    }
    ColorPresentation.is = is;
})(ColorPresentation || (ColorPresentation = {}));
/**
 * A set of predefined range kinds.
 */
var FoldingRangeKind;
(function (FoldingRangeKind) {
    /**
     * Folding range for a comment
     */
    FoldingRangeKind.Comment = 'comment';
    /**
     * Folding range for an import or include
     */
    FoldingRangeKind.Imports = 'imports';
    /**
     * Folding range for a region (e.g. `#region`)
     */
    FoldingRangeKind.Region = 'region';
})(FoldingRangeKind || (FoldingRangeKind = {}));
/**
 * The folding range namespace provides helper functions to work with
 * {@link FoldingRange} literals.
 */
var FoldingRange;
(function (FoldingRange) {
    /**
     * Creates a new FoldingRange literal.
     */
    function create(startLine, endLine, startCharacter, endCharacter, kind, collapsedText) {
        const result = {
            startLine,
            endLine
        };
        if (Is.defined(startCharacter)) {
            result.startCharacter = startCharacter;
        }
        if (Is.defined(endCharacter)) {
            result.endCharacter = endCharacter;
        }
        if (Is.defined(kind)) {
            result.kind = kind;
        }
        if (Is.defined(collapsedText)) {
            result.collapsedText = collapsedText;
        }
        return result;
    }
    FoldingRange.create = create;
    /**
     * Checks whether the given literal conforms to the {@link FoldingRange} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.uinteger(candidate.startLine) && Is.uinteger(candidate.endLine)
            && (Is.undefined(candidate.startCharacter) || Is.uinteger(candidate.startCharacter))
            && (Is.undefined(candidate.endCharacter) || Is.uinteger(candidate.endCharacter))
            && (Is.undefined(candidate.kind) || Is.string(candidate.kind));
    }
    FoldingRange.is = is;
})(FoldingRange || (FoldingRange = {}));
/**
 * The DiagnosticRelatedInformation namespace provides helper functions to work with
 * {@link DiagnosticRelatedInformation} literals.
 */
var DiagnosticRelatedInformation;
(function (DiagnosticRelatedInformation) {
    /**
     * Creates a new DiagnosticRelatedInformation literal.
     */
    function create(location, message) {
        return {
            location,
            message
        };
    }
    DiagnosticRelatedInformation.create = create;
    /**
     * Checks whether the given literal conforms to the {@link DiagnosticRelatedInformation} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Location.is(candidate.location) && Is.string(candidate.message);
    }
    DiagnosticRelatedInformation.is = is;
})(DiagnosticRelatedInformation || (DiagnosticRelatedInformation = {}));
/**
 * The diagnostic's severity.
 */
var DiagnosticSeverity;
(function (DiagnosticSeverity) {
    /**
     * Reports an error.
     */
    DiagnosticSeverity.Error = 1;
    /**
     * Reports a warning.
     */
    DiagnosticSeverity.Warning = 2;
    /**
     * Reports an information.
     */
    DiagnosticSeverity.Information = 3;
    /**
     * Reports a hint.
     */
    DiagnosticSeverity.Hint = 4;
})(DiagnosticSeverity || (DiagnosticSeverity = {}));
/**
 * The diagnostic tags.
 *
 * @since 3.15.0
 */
var DiagnosticTag;
(function (DiagnosticTag) {
    /**
     * Unused or unnecessary code.
     *
     * Clients are allowed to render diagnostics with this tag faded out instead of having
     * an error squiggle.
     */
    DiagnosticTag.Unnecessary = 1;
    /**
     * Deprecated or obsolete code.
     *
     * Clients are allowed to rendered diagnostics with this tag strike through.
     */
    DiagnosticTag.Deprecated = 2;
})(DiagnosticTag || (DiagnosticTag = {}));
/**
 * The CodeDescription namespace provides functions to deal with descriptions for diagnostic codes.
 *
 * @since 3.16.0
 */
var CodeDescription;
(function (CodeDescription) {
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.href);
    }
    CodeDescription.is = is;
})(CodeDescription || (CodeDescription = {}));
/**
 * The Diagnostic namespace provides helper functions to work with
 * {@link Diagnostic} literals.
 */
var Diagnostic;
(function (Diagnostic) {
    /**
     * Creates a new Diagnostic literal.
     */
    function create(range, message, severity, code, source, relatedInformation) {
        const result = { range, message };
        if (Is.defined(severity)) {
            result.severity = severity;
        }
        if (Is.defined(code)) {
            result.code = code;
        }
        if (Is.defined(source)) {
            result.source = source;
        }
        if (Is.defined(relatedInformation)) {
            result.relatedInformation = relatedInformation;
        }
        return result;
    }
    Diagnostic.create = create;
    /**
     * Checks whether the given literal conforms to the {@link Diagnostic} interface.
     */
    function is(value) {
        var _a;
        const candidate = value;
        return Is.defined(candidate)
            && Range.is(candidate.range)
            && (Is.string(candidate.message) || MarkupContent.is(candidate.message))
            && (Is.number(candidate.severity) || Is.undefined(candidate.severity))
            && (Is.integer(candidate.code) || Is.string(candidate.code) || Is.undefined(candidate.code))
            && (Is.undefined(candidate.codeDescription) || (Is.string((_a = candidate.codeDescription) === null || _a === void 0 ? void 0 : _a.href)))
            && (Is.string(candidate.source) || Is.undefined(candidate.source))
            && (Is.undefined(candidate.relatedInformation) || Is.typedArray(candidate.relatedInformation, DiagnosticRelatedInformation.is));
    }
    Diagnostic.is = is;
    /**
     * Checks whether the given diagnostic's message conforms to the 3.17.0
     * version of the protocol where the message is a string.
     *
     * @param value the diagnostic
     * @returns true if the diagnostic's message is a string, false otherwise.
     */
    function is3_17(value) {
        return Is.string(value.message);
    }
    Diagnostic.is3_17 = is3_17;
    /**
     * Gets the message string of a diagnostic. If the message is already a
     * string, it is returned as is. If the message is a MarkupContent,
     * the value of the MarkupContent is returned. Otherwise an error is thrown.
     *
     * @param diagnostic the diagnostic to get the message string from.
     * @returns the message string of the given diagnostic.
     */
    function getMessageString(diagnostic) {
        if (Is.string(diagnostic.message)) {
            return diagnostic.message;
        }
        else if (MarkupContent.is(diagnostic.message)) {
            return diagnostic.message.value;
        }
        else {
            throw new Error(`Unknown message type ${typeof diagnostic.message}`);
        }
    }
    Diagnostic.getMessageString = getMessageString;
})(Diagnostic || (Diagnostic = {}));
/**
 * The Command namespace provides helper functions to work with
 * {@link Command} literals.
 */
var Command;
(function (Command) {
    /**
     * Creates a new Command literal.
     */
    function create(title, command, ...args) {
        const result = { title, command };
        if (Is.defined(args) && args.length > 0) {
            result.arguments = args;
        }
        return result;
    }
    Command.create = create;
    /**
     * Checks whether the given literal conforms to the {@link Command} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.title) && (candidate.tooltip === undefined || Is.string(candidate.tooltip)) && Is.string(candidate.command);
    }
    Command.is = is;
})(Command || (Command = {}));
/**
 * The TextEdit namespace provides helper function to create replace,
 * insert and delete edits more easily.
 */
var TextEdit;
(function (TextEdit) {
    /**
     * Creates a replace text edit.
     * @param range The range of text to be replaced.
     * @param newText The new text.
     */
    function replace(range, newText) {
        return { range, newText };
    }
    TextEdit.replace = replace;
    /**
     * Creates an insert text edit.
     * @param position The position to insert the text at.
     * @param newText The text to be inserted.
     */
    function insert(position, newText) {
        return { range: { start: position, end: position }, newText };
    }
    TextEdit.insert = insert;
    /**
     * Creates a delete text edit.
     * @param range The range of text to be deleted.
     */
    function del(range) {
        return { range, newText: '' };
    }
    TextEdit.del = del;
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate)
            && Is.string(candidate.newText)
            && Range.is(candidate.range);
    }
    TextEdit.is = is;
})(TextEdit || (TextEdit = {}));
var ChangeAnnotation;
(function (ChangeAnnotation) {
    function create(label, needsConfirmation, description) {
        const result = { label };
        if (needsConfirmation !== undefined) {
            result.needsConfirmation = needsConfirmation;
        }
        if (description !== undefined) {
            result.description = description;
        }
        return result;
    }
    ChangeAnnotation.create = create;
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.label) &&
            (Is.boolean(candidate.needsConfirmation) || candidate.needsConfirmation === undefined) &&
            (Is.string(candidate.description) || candidate.description === undefined);
    }
    ChangeAnnotation.is = is;
})(ChangeAnnotation || (ChangeAnnotation = {}));
var ChangeAnnotationIdentifier;
(function (ChangeAnnotationIdentifier) {
    function is(value) {
        const candidate = value;
        return Is.string(candidate);
    }
    ChangeAnnotationIdentifier.is = is;
})(ChangeAnnotationIdentifier || (ChangeAnnotationIdentifier = {}));
var AnnotatedTextEdit;
(function (AnnotatedTextEdit) {
    /**
     * Creates an annotated replace text edit.
     *
     * @param range The range of text to be replaced.
     * @param newText The new text.
     * @param annotation The annotation.
     */
    function replace(range, newText, annotation) {
        return { range, newText, annotationId: annotation };
    }
    AnnotatedTextEdit.replace = replace;
    /**
     * Creates an annotated insert text edit.
     *
     * @param position The position to insert the text at.
     * @param newText The text to be inserted.
     * @param annotation The annotation.
     */
    function insert(position, newText, annotation) {
        return { range: { start: position, end: position }, newText, annotationId: annotation };
    }
    AnnotatedTextEdit.insert = insert;
    /**
     * Creates an annotated delete text edit.
     *
     * @param range The range of text to be deleted.
     * @param annotation The annotation.
     */
    function del(range, annotation) {
        return { range, newText: '', annotationId: annotation };
    }
    AnnotatedTextEdit.del = del;
    function is(value) {
        const candidate = value;
        return TextEdit.is(candidate) && (ChangeAnnotation.is(candidate.annotationId) || ChangeAnnotationIdentifier.is(candidate.annotationId));
    }
    AnnotatedTextEdit.is = is;
})(AnnotatedTextEdit || (AnnotatedTextEdit = {}));
/**
 * The TextDocumentEdit namespace provides helper function to create
 * an edit that manipulates a text document.
 */
var TextDocumentEdit;
(function (TextDocumentEdit) {
    /**
     * Creates a new `TextDocumentEdit`
     */
    function create(textDocument, edits) {
        return { textDocument, edits };
    }
    TextDocumentEdit.create = create;
    function is(value) {
        const candidate = value;
        return Is.defined(candidate)
            && OptionalVersionedTextDocumentIdentifier.is(candidate.textDocument)
            && Array.isArray(candidate.edits);
    }
    TextDocumentEdit.is = is;
})(TextDocumentEdit || (TextDocumentEdit = {}));
var CreateFile;
(function (CreateFile) {
    function create(uri, options, annotation) {
        const result = {
            kind: 'create',
            uri
        };
        if (options !== undefined && (options.overwrite !== undefined || options.ignoreIfExists !== undefined)) {
            result.options = options;
        }
        if (annotation !== undefined) {
            result.annotationId = annotation;
        }
        return result;
    }
    CreateFile.create = create;
    function is(value) {
        const candidate = value;
        return candidate && candidate.kind === 'create' && Is.string(candidate.uri) && (candidate.options === undefined ||
            ((candidate.options.overwrite === undefined || Is.boolean(candidate.options.overwrite)) && (candidate.options.ignoreIfExists === undefined || Is.boolean(candidate.options.ignoreIfExists)))) && (candidate.annotationId === undefined || ChangeAnnotationIdentifier.is(candidate.annotationId));
    }
    CreateFile.is = is;
})(CreateFile || (CreateFile = {}));
var RenameFile;
(function (RenameFile) {
    function create(oldUri, newUri, options, annotation) {
        const result = {
            kind: 'rename',
            oldUri,
            newUri
        };
        if (options !== undefined && (options.overwrite !== undefined || options.ignoreIfExists !== undefined)) {
            result.options = options;
        }
        if (annotation !== undefined) {
            result.annotationId = annotation;
        }
        return result;
    }
    RenameFile.create = create;
    function is(value) {
        const candidate = value;
        return candidate && candidate.kind === 'rename' && Is.string(candidate.oldUri) && Is.string(candidate.newUri) && (candidate.options === undefined ||
            ((candidate.options.overwrite === undefined || Is.boolean(candidate.options.overwrite)) && (candidate.options.ignoreIfExists === undefined || Is.boolean(candidate.options.ignoreIfExists)))) && (candidate.annotationId === undefined || ChangeAnnotationIdentifier.is(candidate.annotationId));
    }
    RenameFile.is = is;
})(RenameFile || (RenameFile = {}));
var DeleteFile;
(function (DeleteFile) {
    function create(uri, options, annotation) {
        const result = {
            kind: 'delete',
            uri
        };
        if (options !== undefined && (options.recursive !== undefined || options.ignoreIfNotExists !== undefined)) {
            result.options = options;
        }
        if (annotation !== undefined) {
            result.annotationId = annotation;
        }
        return result;
    }
    DeleteFile.create = create;
    function is(value) {
        const candidate = value;
        return candidate && candidate.kind === 'delete' && Is.string(candidate.uri) && (candidate.options === undefined ||
            ((candidate.options.recursive === undefined || Is.boolean(candidate.options.recursive)) && (candidate.options.ignoreIfNotExists === undefined || Is.boolean(candidate.options.ignoreIfNotExists)))) && (candidate.annotationId === undefined || ChangeAnnotationIdentifier.is(candidate.annotationId));
    }
    DeleteFile.is = is;
})(DeleteFile || (DeleteFile = {}));
var WorkspaceEdit;
(function (WorkspaceEdit) {
    function is(value) {
        const candidate = value;
        return candidate &&
            (candidate.changes !== undefined || candidate.documentChanges !== undefined) &&
            (candidate.documentChanges === undefined || candidate.documentChanges.every((change) => {
                if (Is.string(change.kind)) {
                    return CreateFile.is(change) || RenameFile.is(change) || DeleteFile.is(change);
                }
                else {
                    return TextDocumentEdit.is(change);
                }
            }));
    }
    WorkspaceEdit.is = is;
})(WorkspaceEdit || (WorkspaceEdit = {}));
class TextEditChangeImpl {
    constructor(edits, changeAnnotations) {
        this.edits = edits;
        this.changeAnnotations = changeAnnotations;
    }
    insert(position, newText, annotation) {
        let edit;
        let id;
        if (annotation === undefined) {
            edit = TextEdit.insert(position, newText);
        }
        else if (ChangeAnnotationIdentifier.is(annotation)) {
            id = annotation;
            edit = AnnotatedTextEdit.insert(position, newText, annotation);
        }
        else {
            this.assertChangeAnnotations(this.changeAnnotations);
            id = this.changeAnnotations.manage(annotation);
            edit = AnnotatedTextEdit.insert(position, newText, id);
        }
        this.edits.push(edit);
        if (id !== undefined) {
            return id;
        }
    }
    replace(range, newText, annotation) {
        let edit;
        let id;
        if (annotation === undefined) {
            edit = TextEdit.replace(range, newText);
        }
        else if (ChangeAnnotationIdentifier.is(annotation)) {
            id = annotation;
            edit = AnnotatedTextEdit.replace(range, newText, annotation);
        }
        else {
            this.assertChangeAnnotations(this.changeAnnotations);
            id = this.changeAnnotations.manage(annotation);
            edit = AnnotatedTextEdit.replace(range, newText, id);
        }
        this.edits.push(edit);
        if (id !== undefined) {
            return id;
        }
    }
    delete(range, annotation) {
        let edit;
        let id;
        if (annotation === undefined) {
            edit = TextEdit.del(range);
        }
        else if (ChangeAnnotationIdentifier.is(annotation)) {
            id = annotation;
            edit = AnnotatedTextEdit.del(range, annotation);
        }
        else {
            this.assertChangeAnnotations(this.changeAnnotations);
            id = this.changeAnnotations.manage(annotation);
            edit = AnnotatedTextEdit.del(range, id);
        }
        this.edits.push(edit);
        if (id !== undefined) {
            return id;
        }
    }
    add(edit) {
        this.edits.push(edit);
    }
    all() {
        return this.edits;
    }
    clear() {
        this.edits.splice(0, this.edits.length);
    }
    assertChangeAnnotations(value) {
        if (value === undefined) {
            throw new Error(`Text edit change is not configured to manage change annotations.`);
        }
    }
}
var SnippetTextEdit;
(function (SnippetTextEdit) {
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate)
            && Range.is(candidate.range)
            && StringValue.isSnippet(candidate.snippet)
            && (candidate.annotationId === undefined ||
                (ChangeAnnotation.is(candidate.annotationId) || ChangeAnnotationIdentifier.is(candidate.annotationId)));
    }
    SnippetTextEdit.is = is;
})(SnippetTextEdit || (SnippetTextEdit = {}));
/**
 * A helper class
 */
class ChangeAnnotations {
    constructor(annotations) {
        this._annotations = annotations === undefined ? Object.create(null) : annotations;
        this._counter = 0;
        this._size = 0;
    }
    all() {
        return this._annotations;
    }
    get size() {
        return this._size;
    }
    manage(idOrAnnotation, annotation) {
        let id;
        if (ChangeAnnotationIdentifier.is(idOrAnnotation)) {
            id = idOrAnnotation;
        }
        else {
            id = this.nextId();
            annotation = idOrAnnotation;
        }
        if (this._annotations[id] !== undefined) {
            throw new Error(`Id ${id} is already in use.`);
        }
        if (annotation === undefined) {
            throw new Error(`No annotation provided for id ${id}`);
        }
        this._annotations[id] = annotation;
        this._size++;
        return id;
    }
    nextId() {
        this._counter++;
        return this._counter.toString();
    }
}
/**
 * A workspace change helps constructing changes to a workspace.
 */
class WorkspaceChange {
    constructor(workspaceEdit) {
        this._textEditChanges = Object.create(null);
        if (workspaceEdit !== undefined) {
            this._workspaceEdit = workspaceEdit;
            if (workspaceEdit.documentChanges) {
                this._changeAnnotations = new ChangeAnnotations(workspaceEdit.changeAnnotations);
                workspaceEdit.changeAnnotations = this._changeAnnotations.all();
                workspaceEdit.documentChanges.forEach((change) => {
                    if (TextDocumentEdit.is(change)) {
                        const textEditChange = new TextEditChangeImpl(change.edits, this._changeAnnotations);
                        this._textEditChanges[change.textDocument.uri] = textEditChange;
                    }
                });
            }
            else if (workspaceEdit.changes) {
                Object.keys(workspaceEdit.changes).forEach((key) => {
                    const textEditChange = new TextEditChangeImpl(workspaceEdit.changes[key]);
                    this._textEditChanges[key] = textEditChange;
                });
            }
        }
        else {
            this._workspaceEdit = {};
        }
    }
    /**
     * Returns the underlying {@link WorkspaceEdit} literal
     * use to be returned from a workspace edit operation like rename.
     */
    get edit() {
        this.initDocumentChanges();
        if (this._changeAnnotations !== undefined) {
            if (this._changeAnnotations.size === 0) {
                this._workspaceEdit.changeAnnotations = undefined;
            }
            else {
                this._workspaceEdit.changeAnnotations = this._changeAnnotations.all();
            }
        }
        return this._workspaceEdit;
    }
    getTextEditChange(key) {
        if (OptionalVersionedTextDocumentIdentifier.is(key)) {
            this.initDocumentChanges();
            if (this._workspaceEdit.documentChanges === undefined) {
                throw new Error('Workspace edit is not configured for document changes.');
            }
            const textDocument = { uri: key.uri, version: key.version };
            let result = this._textEditChanges[textDocument.uri];
            if (!result) {
                const edits = [];
                const textDocumentEdit = {
                    textDocument,
                    edits
                };
                this._workspaceEdit.documentChanges.push(textDocumentEdit);
                result = new TextEditChangeImpl(edits, this._changeAnnotations);
                this._textEditChanges[textDocument.uri] = result;
            }
            return result;
        }
        else {
            this.initChanges();
            if (this._workspaceEdit.changes === undefined) {
                throw new Error('Workspace edit is not configured for normal text edit changes.');
            }
            let result = this._textEditChanges[key];
            if (!result) {
                const edits = [];
                this._workspaceEdit.changes[key] = edits;
                result = new TextEditChangeImpl(edits);
                this._textEditChanges[key] = result;
            }
            return result;
        }
    }
    initDocumentChanges() {
        if (this._workspaceEdit.documentChanges === undefined && this._workspaceEdit.changes === undefined) {
            this._changeAnnotations = new ChangeAnnotations();
            this._workspaceEdit.documentChanges = [];
            this._workspaceEdit.changeAnnotations = this._changeAnnotations.all();
        }
    }
    initChanges() {
        if (this._workspaceEdit.documentChanges === undefined && this._workspaceEdit.changes === undefined) {
            this._workspaceEdit.changes = Object.create(null);
        }
    }
    createFile(uri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === undefined) {
            throw new Error('Workspace edit is not configured for document changes.');
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
            annotation = optionsOrAnnotation;
        }
        else {
            options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === undefined) {
            operation = CreateFile.create(uri, options);
        }
        else {
            id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
            operation = CreateFile.create(uri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== undefined) {
            return id;
        }
    }
    renameFile(oldUri, newUri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === undefined) {
            throw new Error('Workspace edit is not configured for document changes.');
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
            annotation = optionsOrAnnotation;
        }
        else {
            options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === undefined) {
            operation = RenameFile.create(oldUri, newUri, options);
        }
        else {
            id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
            operation = RenameFile.create(oldUri, newUri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== undefined) {
            return id;
        }
    }
    deleteFile(uri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === undefined) {
            throw new Error('Workspace edit is not configured for document changes.');
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
            annotation = optionsOrAnnotation;
        }
        else {
            options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === undefined) {
            operation = DeleteFile.create(uri, options);
        }
        else {
            id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
            operation = DeleteFile.create(uri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== undefined) {
            return id;
        }
    }
}
/**
 * The TextDocumentIdentifier namespace provides helper functions to work with
 * {@link TextDocumentIdentifier} literals.
 */
var TextDocumentIdentifier;
(function (TextDocumentIdentifier) {
    /**
     * Creates a new TextDocumentIdentifier literal.
     * @param uri The document's uri.
     */
    function create(uri) {
        return { uri };
    }
    TextDocumentIdentifier.create = create;
    /**
     * Checks whether the given literal conforms to the {@link TextDocumentIdentifier} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri);
    }
    TextDocumentIdentifier.is = is;
})(TextDocumentIdentifier || (TextDocumentIdentifier = {}));
/**
 * The VersionedTextDocumentIdentifier namespace provides helper functions to work with
 * {@link VersionedTextDocumentIdentifier} literals.
 */
var VersionedTextDocumentIdentifier;
(function (VersionedTextDocumentIdentifier) {
    /**
     * Creates a new VersionedTextDocumentIdentifier literal.
     * @param uri The document's uri.
     * @param version The document's version.
     */
    function create(uri, version) {
        return { uri, version };
    }
    VersionedTextDocumentIdentifier.create = create;
    /**
     * Checks whether the given literal conforms to the {@link VersionedTextDocumentIdentifier} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && Is.integer(candidate.version);
    }
    VersionedTextDocumentIdentifier.is = is;
})(VersionedTextDocumentIdentifier || (VersionedTextDocumentIdentifier = {}));
/**
 * The OptionalVersionedTextDocumentIdentifier namespace provides helper functions to work with
 * {@link OptionalVersionedTextDocumentIdentifier} literals.
 */
var OptionalVersionedTextDocumentIdentifier;
(function (OptionalVersionedTextDocumentIdentifier) {
    /**
     * Creates a new OptionalVersionedTextDocumentIdentifier literal.
     * @param uri The document's uri.
     * @param version The document's version.
     */
    function create(uri, version) {
        return { uri, version };
    }
    OptionalVersionedTextDocumentIdentifier.create = create;
    /**
     * Checks whether the given literal conforms to the {@link OptionalVersionedTextDocumentIdentifier} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && (candidate.version === null || Is.integer(candidate.version));
    }
    OptionalVersionedTextDocumentIdentifier.is = is;
})(OptionalVersionedTextDocumentIdentifier || (OptionalVersionedTextDocumentIdentifier = {}));
/**
 * Predefined Language kinds
 * @since 3.18.0
 */
var LanguageKind;
(function (LanguageKind) {
    LanguageKind.ABAP = 'abap';
    LanguageKind.WindowsBat = 'bat';
    LanguageKind.BibTeX = 'bibtex';
    LanguageKind.Clojure = 'clojure';
    LanguageKind.Coffeescript = 'coffeescript';
    LanguageKind.C = 'c';
    LanguageKind.CPP = 'cpp';
    LanguageKind.CSharp = 'csharp';
    LanguageKind.CSS = 'css';
    /**
     * @since 3.18.0
     */
    LanguageKind.D = 'd';
    /**
     * @since 3.18.0
     */
    LanguageKind.Delphi = 'pascal';
    LanguageKind.Diff = 'diff';
    LanguageKind.Dart = 'dart';
    LanguageKind.Dockerfile = 'dockerfile';
    LanguageKind.Elixir = 'elixir';
    LanguageKind.Erlang = 'erlang';
    LanguageKind.FSharp = 'fsharp';
    LanguageKind.GitCommit = 'git-commit';
    LanguageKind.GitRebase = 'git-rebase';
    LanguageKind.Go = 'go';
    LanguageKind.Groovy = 'groovy';
    LanguageKind.Handlebars = 'handlebars';
    LanguageKind.Haskell = 'haskell';
    LanguageKind.HTML = 'html';
    LanguageKind.Ini = 'ini';
    LanguageKind.Java = 'java';
    LanguageKind.JavaScript = 'javascript';
    LanguageKind.JavaScriptReact = 'javascriptreact';
    LanguageKind.JSON = 'json';
    LanguageKind.LaTeX = 'latex';
    LanguageKind.Less = 'less';
    LanguageKind.Lua = 'lua';
    LanguageKind.Makefile = 'makefile';
    LanguageKind.Markdown = 'markdown';
    LanguageKind.ObjectiveC = 'objective-c';
    LanguageKind.ObjectiveCPP = 'objective-cpp';
    /**
     * @since 3.18.0
     */
    LanguageKind.Pascal = 'pascal';
    LanguageKind.Perl = 'perl';
    LanguageKind.Perl6 = 'perl6';
    LanguageKind.PHP = 'php';
    LanguageKind.Plaintext = 'plaintext';
    LanguageKind.Powershell = 'powershell';
    LanguageKind.Pug = 'jade';
    LanguageKind.Python = 'python';
    LanguageKind.R = 'r';
    LanguageKind.Razor = 'razor';
    LanguageKind.Ruby = 'ruby';
    LanguageKind.Rust = 'rust';
    LanguageKind.SCSS = 'scss';
    LanguageKind.SASS = 'sass';
    LanguageKind.Scala = 'scala';
    LanguageKind.ShaderLab = 'shaderlab';
    LanguageKind.ShellScript = 'shellscript';
    LanguageKind.SQL = 'sql';
    LanguageKind.Swift = 'swift';
    LanguageKind.TypeScript = 'typescript';
    LanguageKind.TypeScriptReact = 'typescriptreact';
    LanguageKind.TeX = 'tex';
    LanguageKind.VisualBasic = 'vb';
    LanguageKind.XML = 'xml';
    LanguageKind.XSL = 'xsl';
    LanguageKind.YAML = 'yaml';
})(LanguageKind || (LanguageKind = {}));
/**
 * The TextDocumentItem namespace provides helper functions to work with
 * {@link TextDocumentItem} literals.
 */
var TextDocumentItem;
(function (TextDocumentItem) {
    /**
     * Creates a new TextDocumentItem literal.
     * @param uri The document's uri.
     * @param languageId The document's language identifier.
     * @param version The document's version number.
     * @param text The document's text.
     */
    function create(uri, languageId, version, text) {
        return { uri, languageId, version, text };
    }
    TextDocumentItem.create = create;
    /**
     * Checks whether the given literal conforms to the {@link TextDocumentItem} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && Is.string(candidate.languageId) && Is.integer(candidate.version) && Is.string(candidate.text);
    }
    TextDocumentItem.is = is;
})(TextDocumentItem || (TextDocumentItem = {}));
/**
 * Describes the content type that a client supports in various
 * result literals like `Hover`, `ParameterInfo` or `CompletionItem`.
 *
 * Please note that `MarkupKinds` must not start with a `$`. This kinds
 * are reserved for internal usage.
 */
var MarkupKind;
(function (MarkupKind) {
    /**
     * Plain text is supported as a content format
     */
    MarkupKind.PlainText = 'plaintext';
    /**
     * Markdown is supported as a content format
     */
    MarkupKind.Markdown = 'markdown';
    /**
     * Checks whether the given value is a value of the {@link MarkupKind} type.
     */
    function is(value) {
        const candidate = value;
        return candidate === MarkupKind.PlainText || candidate === MarkupKind.Markdown;
    }
    MarkupKind.is = is;
})(MarkupKind || (MarkupKind = {}));
var MarkupContent;
(function (MarkupContent) {
    /**
     * Checks whether the given value conforms to the {@link MarkupContent} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(value) && MarkupKind.is(candidate.kind) && Is.string(candidate.value);
    }
    MarkupContent.is = is;
})(MarkupContent || (MarkupContent = {}));
/**
 * The kind of a completion entry.
 */
var CompletionItemKind;
(function (CompletionItemKind) {
    CompletionItemKind.Text = 1;
    CompletionItemKind.Method = 2;
    CompletionItemKind.Function = 3;
    CompletionItemKind.Constructor = 4;
    CompletionItemKind.Field = 5;
    CompletionItemKind.Variable = 6;
    CompletionItemKind.Class = 7;
    CompletionItemKind.Interface = 8;
    CompletionItemKind.Module = 9;
    CompletionItemKind.Property = 10;
    CompletionItemKind.Unit = 11;
    CompletionItemKind.Value = 12;
    CompletionItemKind.Enum = 13;
    CompletionItemKind.Keyword = 14;
    CompletionItemKind.Snippet = 15;
    CompletionItemKind.Color = 16;
    CompletionItemKind.File = 17;
    CompletionItemKind.Reference = 18;
    CompletionItemKind.Folder = 19;
    CompletionItemKind.EnumMember = 20;
    CompletionItemKind.Constant = 21;
    CompletionItemKind.Struct = 22;
    CompletionItemKind.Event = 23;
    CompletionItemKind.Operator = 24;
    CompletionItemKind.TypeParameter = 25;
})(CompletionItemKind || (CompletionItemKind = {}));
/**
 * Defines whether the insert text in a completion item should be interpreted as
 * plain text or a snippet.
 */
var InsertTextFormat;
(function (InsertTextFormat) {
    /**
     * The primary text to be inserted is treated as a plain string.
     */
    InsertTextFormat.PlainText = 1;
    /**
     * The primary text to be inserted is treated as a snippet.
     *
     * A snippet can define tab stops and placeholders with `$1`, `$2`
     * and `${3:foo}`. `$0` defines the final tab stop, it defaults to
     * the end of the snippet. Placeholders with equal identifiers are linked,
     * that is typing in one will update others too.
     *
     * See also: https://microsoft.github.io/language-server-protocol/specifications/specification-current/#snippet_syntax
     */
    InsertTextFormat.Snippet = 2;
})(InsertTextFormat || (InsertTextFormat = {}));
/**
 * Completion item tags are extra annotations that tweak the rendering of a completion
 * item.
 *
 * @since 3.15.0
 */
var CompletionItemTag;
(function (CompletionItemTag) {
    /**
     * Render a completion as obsolete, usually using a strike-out.
     */
    CompletionItemTag.Deprecated = 1;
})(CompletionItemTag || (CompletionItemTag = {}));
/**
 * The InsertReplaceEdit namespace provides functions to deal with insert / replace edits.
 *
 * @since 3.16.0
 */
var InsertReplaceEdit;
(function (InsertReplaceEdit) {
    /**
     * Creates a new insert / replace edit
     */
    function create(newText, insert, replace) {
        return { newText, insert, replace };
    }
    InsertReplaceEdit.create = create;
    /**
     * Checks whether the given literal conforms to the {@link InsertReplaceEdit} interface.
     */
    function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.newText) && Range.is(candidate.insert) && Range.is(candidate.replace);
    }
    InsertReplaceEdit.is = is;
})(InsertReplaceEdit || (InsertReplaceEdit = {}));
/**
 * How whitespace and indentation is handled during completion
 * item insertion.
 *
 * @since 3.16.0
 */
var InsertTextMode;
(function (InsertTextMode) {
    /**
     * The insertion or replace strings is taken as it is. If the
     * value is multi line the lines below the cursor will be
     * inserted using the indentation defined in the string value.
     * The client will not apply any kind of adjustments to the
     * string.
     */
    InsertTextMode.asIs = 1;
    /**
     * The editor adjusts leading whitespace of new lines so that
     * they match the indentation up to the cursor of the line for
     * which the item is accepted.
     *
     * Consider a line like this: <2tabs><cursor><3tabs>foo. Accepting a
     * multi line completion item is indented using 2 tabs and all
     * following lines inserted will be indented using 2 tabs as well.
     */
    InsertTextMode.adjustIndentation = 2;
})(InsertTextMode || (InsertTextMode = {}));
/**
 * Defines how values from a set of defaults and an individual item will be
 * merged.
 *
 * @since 3.18.0
 */
var ApplyKind;
(function (ApplyKind) {
    /**
     * The value from the individual item (if provided and not `null`) will be
     * used instead of the default.
     */
    ApplyKind.Replace = 1;
    /**
     * The value from the item will be merged with the default.
     *
     * The specific rules for mergeing values are defined against each field
     * that supports merging.
     */
    ApplyKind.Merge = 2;
})(ApplyKind || (ApplyKind = {}));
var CompletionItemLabelDetails;
(function (CompletionItemLabelDetails) {
    function is(value) {
        const candidate = value;
        return candidate && (Is.string(candidate.detail) || candidate.detail === undefined) &&
            (Is.string(candidate.description) || candidate.description === undefined);
    }
    CompletionItemLabelDetails.is = is;
})(CompletionItemLabelDetails || (CompletionItemLabelDetails = {}));
/**
 * The CompletionItem namespace provides functions to deal with
 * completion items.
 */
var CompletionItem;
(function (CompletionItem) {
    /**
     * Create a completion item and seed it with a label.
     * @param label The completion item's label
     */
    function create(label) {
        return { label };
    }
    CompletionItem.create = create;
})(CompletionItem || (CompletionItem = {}));
/**
 * The CompletionList namespace provides functions to deal with
 * completion lists.
 */
var CompletionList;
(function (CompletionList) {
    /**
     * Creates a new completion list.
     *
     * @param items The completion items.
     * @param isIncomplete The list is not complete.
     */
    function create(items, isIncomplete) {
        return { items: items ? items : [], isIncomplete: !!isIncomplete };
    }
    CompletionList.create = create;
})(CompletionList || (CompletionList = {}));
var MarkedString;
(function (MarkedString) {
    /**
     * Creates a marked string from plain text.
     *
     * @param plainText The plain text.
     */
    function fromPlainText(plainText) {
        return plainText.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&'); // escape markdown syntax tokens: http://daringfireball.net/projects/markdown/syntax#backslash
    }
    MarkedString.fromPlainText = fromPlainText;
    /**
     * Checks whether the given value conforms to the {@link MarkedString} type.
     */
    function is(value) {
        const candidate = value;
        return Is.string(candidate) || (Is.objectLiteral(candidate) && Is.string(candidate.language) && Is.string(candidate.value));
    }
    MarkedString.is = is;
})(MarkedString || (MarkedString = {}));
var Hover;
(function (Hover) {
    /**
     * Checks whether the given value conforms to the {@link Hover} interface.
     */
    function is(value) {
        const candidate = value;
        return !!candidate && Is.objectLiteral(candidate) && (MarkupContent.is(candidate.contents) ||
            MarkedString.is(candidate.contents) ||
            Is.typedArray(candidate.contents, MarkedString.is)) && (value.range === undefined || Range.is(value.range));
    }
    Hover.is = is;
})(Hover || (Hover = {}));
/**
 * The ParameterInformation namespace provides helper functions to work with
 * {@link ParameterInformation} literals.
 */
var ParameterInformation;
(function (ParameterInformation) {
    /**
     * Creates a new parameter information literal.
     *
     * @param label A label string.
     * @param documentation A doc string.
     */
    function create(label, documentation) {
        return documentation ? { label, documentation } : { label };
    }
    ParameterInformation.create = create;
})(ParameterInformation || (ParameterInformation = {}));
/**
 * The SignatureInformation namespace provides helper functions to work with
 * {@link SignatureInformation} literals.
 */
var SignatureInformation;
(function (SignatureInformation) {
    function create(label, documentation, ...parameters) {
        const result = { label };
        if (Is.defined(documentation)) {
            result.documentation = documentation;
        }
        if (Is.defined(parameters)) {
            result.parameters = parameters;
        }
        else {
            result.parameters = [];
        }
        return result;
    }
    SignatureInformation.create = create;
})(SignatureInformation || (SignatureInformation = {}));
/**
 * A document highlight kind.
 */
var DocumentHighlightKind;
(function (DocumentHighlightKind) {
    /**
     * A textual occurrence.
     */
    DocumentHighlightKind.Text = 1;
    /**
     * Read-access of a symbol, like reading a variable.
     */
    DocumentHighlightKind.Read = 2;
    /**
     * Write-access of a symbol, like writing to a variable.
     */
    DocumentHighlightKind.Write = 3;
})(DocumentHighlightKind || (DocumentHighlightKind = {}));
/**
 * DocumentHighlight namespace to provide helper functions to work with
 * {@link DocumentHighlight} literals.
 */
var DocumentHighlight;
(function (DocumentHighlight) {
    /**
     * Create a DocumentHighlight object.
     * @param range The range the highlight applies to.
     * @param kind The highlight kind
     */
    function create(range, kind) {
        const result = { range };
        if (Is.number(kind)) {
            result.kind = kind;
        }
        return result;
    }
    DocumentHighlight.create = create;
})(DocumentHighlight || (DocumentHighlight = {}));
/**
 * A symbol kind.
 */
var SymbolKind;
(function (SymbolKind) {
    SymbolKind.File = 1;
    SymbolKind.Module = 2;
    SymbolKind.Namespace = 3;
    SymbolKind.Package = 4;
    SymbolKind.Class = 5;
    SymbolKind.Method = 6;
    SymbolKind.Property = 7;
    SymbolKind.Field = 8;
    SymbolKind.Constructor = 9;
    SymbolKind.Enum = 10;
    SymbolKind.Interface = 11;
    SymbolKind.Function = 12;
    SymbolKind.Variable = 13;
    SymbolKind.Constant = 14;
    SymbolKind.String = 15;
    SymbolKind.Number = 16;
    SymbolKind.Boolean = 17;
    SymbolKind.Array = 18;
    SymbolKind.Object = 19;
    SymbolKind.Key = 20;
    SymbolKind.Null = 21;
    SymbolKind.EnumMember = 22;
    SymbolKind.Struct = 23;
    SymbolKind.Event = 24;
    SymbolKind.Operator = 25;
    SymbolKind.TypeParameter = 26;
})(SymbolKind || (SymbolKind = {}));
/**
 * Symbol tags are extra annotations that tweak the rendering of a symbol.
 *
 * @since 3.16
 */
var SymbolTag;
(function (SymbolTag) {
    /**
     * Render a symbol as obsolete, usually using a strike-out.
     */
    SymbolTag.Deprecated = 1;
})(SymbolTag || (SymbolTag = {}));
var SymbolInformation;
(function (SymbolInformation) {
    /**
     * Creates a new symbol information literal.
     *
     * @param name The name of the symbol.
     * @param kind The kind of the symbol.
     * @param range The range of the location of the symbol.
     * @param uri The resource of the location of symbol.
     * @param containerName The name of the symbol containing the symbol.
     */
    function create(name, kind, range, uri, containerName) {
        const result = {
            name,
            kind,
            location: { uri, range }
        };
        if (containerName) {
            result.containerName = containerName;
        }
        return result;
    }
    SymbolInformation.create = create;
})(SymbolInformation || (SymbolInformation = {}));
var WorkspaceSymbol;
(function (WorkspaceSymbol) {
    /**
     * Create a new workspace symbol.
     *
     * @param name The name of the symbol.
     * @param kind The kind of the symbol.
     * @param uri The resource of the location of the symbol.
     * @param range An options range of the location.
     * @returns A WorkspaceSymbol.
     */
    function create(name, kind, uri, range) {
        return range !== undefined
            ? { name, kind, location: { uri, range } }
            : { name, kind, location: { uri } };
    }
    WorkspaceSymbol.create = create;
})(WorkspaceSymbol || (WorkspaceSymbol = {}));
var DocumentSymbol;
(function (DocumentSymbol) {
    /**
     * Creates a new symbol information literal.
     *
     * @param name The name of the symbol.
     * @param detail The detail of the symbol.
     * @param kind The kind of the symbol.
     * @param range The range of the symbol.
     * @param selectionRange The selectionRange of the symbol.
     * @param children Children of the symbol.
     */
    function create(name, detail, kind, range, selectionRange, children) {
        const result = {
            name,
            detail,
            kind,
            range,
            selectionRange
        };
        if (children !== undefined) {
            result.children = children;
        }
        return result;
    }
    DocumentSymbol.create = create;
    /**
     * Checks whether the given literal conforms to the {@link DocumentSymbol} interface.
     */
    function is(value) {
        const candidate = value;
        return candidate &&
            Is.string(candidate.name) && Is.number(candidate.kind) &&
            Range.is(candidate.range) && Range.is(candidate.selectionRange) &&
            (candidate.detail === undefined || Is.string(candidate.detail)) &&
            (candidate.deprecated === undefined || Is.boolean(candidate.deprecated)) &&
            (candidate.children === undefined || Array.isArray(candidate.children)) &&
            (candidate.tags === undefined || Array.isArray(candidate.tags));
    }
    DocumentSymbol.is = is;
})(DocumentSymbol || (DocumentSymbol = {}));
/**
 * A set of predefined code action kinds
 */
var CodeActionKind;
(function (CodeActionKind) {
    /**
     * Empty kind.
     */
    CodeActionKind.Empty = '';
    /**
     * Base kind for quickfix actions: 'quickfix'
     */
    CodeActionKind.QuickFix = 'quickfix';
    /**
     * Base kind for refactoring actions: 'refactor'
     */
    CodeActionKind.Refactor = 'refactor';
    /**
     * Base kind for refactoring extraction actions: 'refactor.extract'
     *
     * Example extract actions:
     *
     * - Extract method
     * - Extract function
     * - Extract variable
     * - Extract interface from class
     * - ...
     */
    CodeActionKind.RefactorExtract = 'refactor.extract';
    /**
     * Base kind for refactoring inline actions: 'refactor.inline'
     *
     * Example inline actions:
     *
     * - Inline function
     * - Inline variable
     * - Inline constant
     * - ...
     */
    CodeActionKind.RefactorInline = 'refactor.inline';
    /**
     * Base kind for refactoring move actions: `refactor.move`
     *
     * Example move actions:
     *
     * - Move a function to a new file
     * - Move a property between classes
     * - Move method to base class
     * - ...
     *
     * @since 3.18.0
     */
    CodeActionKind.RefactorMove = 'refactor.move';
    /**
     * Base kind for refactoring rewrite actions: 'refactor.rewrite'
     *
     * Example rewrite actions:
     *
     * - Convert JavaScript function to class
     * - Add or remove parameter
     * - Encapsulate field
     * - Make method static
     * - Move method to base class
     * - ...
     */
    CodeActionKind.RefactorRewrite = 'refactor.rewrite';
    /**
     * Base kind for source actions: `source`
     *
     * Source code actions apply to the entire file.
     */
    CodeActionKind.Source = 'source';
    /**
     * Base kind for an organize imports source action: `source.organizeImports`
     */
    CodeActionKind.SourceOrganizeImports = 'source.organizeImports';
    /**
     * Base kind for auto-fix source actions: `source.fixAll`.
     *
     * Fix all actions automatically fix errors that have a clear fix that do not require user input.
     * They should not suppress errors or perform unsafe fixes such as generating new types or classes.
     *
     * @since 3.15.0
     */
    CodeActionKind.SourceFixAll = 'source.fixAll';
    /**
     * Base kind for all code actions applying to the entire notebook's scope. CodeActionKinds using
     * this should always begin with `notebook.`
     *
     * @since 3.18.0
     */
    CodeActionKind.Notebook = 'notebook';
})(CodeActionKind || (CodeActionKind = {}));
/**
 * The reason why code actions were requested.
 *
 * @since 3.17.0
 */
var CodeActionTriggerKind;
(function (CodeActionTriggerKind) {
    /**
     * Code actions were explicitly requested by the user or by an extension.
     */
    CodeActionTriggerKind.Invoked = 1;
    /**
     * Code actions were requested automatically.
     *
     * This typically happens when current selection in a file changes, but can
     * also be triggered when file content changes.
     */
    CodeActionTriggerKind.Automatic = 2;
})(CodeActionTriggerKind || (CodeActionTriggerKind = {}));
/**
 * The CodeActionContext namespace provides helper functions to work with
 * {@link CodeActionContext} literals.
 */
var CodeActionContext;
(function (CodeActionContext) {
    /**
     * Creates a new CodeActionContext literal.
     */
    function create(diagnostics, only, triggerKind) {
        const result = { diagnostics };
        if (only !== undefined && only !== null) {
            result.only = only;
        }
        if (triggerKind !== undefined && triggerKind !== null) {
            result.triggerKind = triggerKind;
        }
        return result;
    }
    CodeActionContext.create = create;
    /**
     * Checks whether the given literal conforms to the {@link CodeActionContext} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.typedArray(candidate.diagnostics, Diagnostic.is)
            && (candidate.only === undefined || Is.typedArray(candidate.only, Is.string))
            && (candidate.triggerKind === undefined || candidate.triggerKind === CodeActionTriggerKind.Invoked || candidate.triggerKind === CodeActionTriggerKind.Automatic);
    }
    CodeActionContext.is = is;
})(CodeActionContext || (CodeActionContext = {}));
/**
 * Code action tags are extra annotations that tweak the behavior of a code action.
 *
 * @since 3.18.0
 */
var CodeActionTag;
(function (CodeActionTag) {
    /**
     * Marks the code action as LLM-generated.
     */
    CodeActionTag.LLMGenerated = 1;
    /**
     * Checks whether the given literal conforms to the {@link CodeActionTag} interface.
     */
    function is(value) {
        return Is.defined(value) && value === CodeActionTag.LLMGenerated;
    }
    CodeActionTag.is = is;
})(CodeActionTag || (CodeActionTag = {}));
var CodeAction;
(function (CodeAction) {
    function create(title, kindOrCommandOrEdit, kind) {
        const result = { title };
        let checkKind = true;
        if (typeof kindOrCommandOrEdit === 'string') {
            checkKind = false;
            result.kind = kindOrCommandOrEdit;
        }
        else if (Command.is(kindOrCommandOrEdit)) {
            result.command = kindOrCommandOrEdit;
        }
        else {
            result.edit = kindOrCommandOrEdit;
        }
        if (checkKind && kind !== undefined) {
            result.kind = kind;
        }
        return result;
    }
    CodeAction.create = create;
    function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.title) &&
            (candidate.diagnostics === undefined || Is.typedArray(candidate.diagnostics, Diagnostic.is)) &&
            (candidate.kind === undefined || Is.string(candidate.kind)) &&
            (candidate.edit !== undefined || candidate.command !== undefined) &&
            (candidate.command === undefined || Command.is(candidate.command)) &&
            (candidate.isPreferred === undefined || Is.boolean(candidate.isPreferred)) &&
            (candidate.edit === undefined || WorkspaceEdit.is(candidate.edit)) &&
            (candidate.tags === undefined || Is.typedArray(candidate.tags, CodeActionTag.is));
    }
    CodeAction.is = is;
})(CodeAction || (CodeAction = {}));
/**
 * The CodeLens namespace provides helper functions to work with
 * {@link CodeLens} literals.
 */
var CodeLens;
(function (CodeLens) {
    /**
     * Creates a new CodeLens literal.
     */
    function create(range, data) {
        const result = { range };
        if (Is.defined(data)) {
            result.data = data;
        }
        return result;
    }
    CodeLens.create = create;
    /**
     * Checks whether the given literal conforms to the {@link CodeLens} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.undefined(candidate.command) || Command.is(candidate.command));
    }
    CodeLens.is = is;
})(CodeLens || (CodeLens = {}));
/**
 * The FormattingOptions namespace provides helper functions to work with
 * {@link FormattingOptions} literals.
 */
var FormattingOptions;
(function (FormattingOptions) {
    /**
     * Creates a new FormattingOptions literal.
     */
    function create(tabSize, insertSpaces) {
        return { tabSize, insertSpaces };
    }
    FormattingOptions.create = create;
    /**
     * Checks whether the given literal conforms to the {@link FormattingOptions} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.uinteger(candidate.tabSize) && Is.boolean(candidate.insertSpaces);
    }
    FormattingOptions.is = is;
})(FormattingOptions || (FormattingOptions = {}));
/**
 * The DocumentLink namespace provides helper functions to work with
 * {@link DocumentLink} literals.
 */
var DocumentLink;
(function (DocumentLink) {
    /**
     * Creates a new DocumentLink literal.
     */
    function create(range, target, data) {
        return { range, target, data };
    }
    DocumentLink.create = create;
    /**
     * Checks whether the given literal conforms to the {@link DocumentLink} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.undefined(candidate.target) || Is.string(candidate.target));
    }
    DocumentLink.is = is;
})(DocumentLink || (DocumentLink = {}));
/**
 * The SelectionRange namespace provides helper function to work with
 * SelectionRange literals.
 */
var SelectionRange;
(function (SelectionRange) {
    /**
     * Creates a new SelectionRange
     * @param range the range.
     * @param parent an optional parent.
     */
    function create(range, parent) {
        return { range, parent };
    }
    SelectionRange.create = create;
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && (candidate.parent === undefined || SelectionRange.is(candidate.parent));
    }
    SelectionRange.is = is;
})(SelectionRange || (SelectionRange = {}));
/**
 * A set of predefined token types. This set is not fixed
 * an clients can specify additional token types via the
 * corresponding client capabilities.
 *
 * @since 3.16.0
 */
var SemanticTokenTypes;
(function (SemanticTokenTypes) {
    SemanticTokenTypes["namespace"] = "namespace";
    /**
     * Represents a generic type. Acts as a fallback for types which can't be mapped to
     * a specific type like class or enum.
     */
    SemanticTokenTypes["type"] = "type";
    SemanticTokenTypes["class"] = "class";
    SemanticTokenTypes["enum"] = "enum";
    SemanticTokenTypes["interface"] = "interface";
    SemanticTokenTypes["struct"] = "struct";
    SemanticTokenTypes["typeParameter"] = "typeParameter";
    SemanticTokenTypes["parameter"] = "parameter";
    SemanticTokenTypes["variable"] = "variable";
    SemanticTokenTypes["property"] = "property";
    SemanticTokenTypes["enumMember"] = "enumMember";
    SemanticTokenTypes["event"] = "event";
    SemanticTokenTypes["function"] = "function";
    SemanticTokenTypes["method"] = "method";
    SemanticTokenTypes["macro"] = "macro";
    SemanticTokenTypes["keyword"] = "keyword";
    SemanticTokenTypes["modifier"] = "modifier";
    SemanticTokenTypes["comment"] = "comment";
    SemanticTokenTypes["string"] = "string";
    SemanticTokenTypes["number"] = "number";
    SemanticTokenTypes["regexp"] = "regexp";
    SemanticTokenTypes["operator"] = "operator";
    /**
     * @since 3.17.0
     */
    SemanticTokenTypes["decorator"] = "decorator";
    /**
     * @since 3.18.0
     */
    SemanticTokenTypes["label"] = "label";
})(SemanticTokenTypes || (SemanticTokenTypes = {}));
/**
 * A set of predefined token modifiers. This set is not fixed
 * an clients can specify additional token types via the
 * corresponding client capabilities.
 *
 * @since 3.16.0
 */
var SemanticTokenModifiers;
(function (SemanticTokenModifiers) {
    SemanticTokenModifiers["declaration"] = "declaration";
    SemanticTokenModifiers["definition"] = "definition";
    SemanticTokenModifiers["readonly"] = "readonly";
    SemanticTokenModifiers["static"] = "static";
    SemanticTokenModifiers["deprecated"] = "deprecated";
    SemanticTokenModifiers["abstract"] = "abstract";
    SemanticTokenModifiers["async"] = "async";
    SemanticTokenModifiers["modification"] = "modification";
    SemanticTokenModifiers["documentation"] = "documentation";
    SemanticTokenModifiers["defaultLibrary"] = "defaultLibrary";
})(SemanticTokenModifiers || (SemanticTokenModifiers = {}));
/**
 * @since 3.16.0
 */
var SemanticTokens;
(function (SemanticTokens) {
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && (candidate.resultId === undefined || typeof candidate.resultId === 'string') &&
            Array.isArray(candidate.data) && (candidate.data.length === 0 || typeof candidate.data[0] === 'number');
    }
    SemanticTokens.is = is;
})(SemanticTokens || (SemanticTokens = {}));
/**
 * The InlineValueText namespace provides functions to deal with InlineValueTexts.
 *
 * @since 3.17.0
 */
var InlineValueText;
(function (InlineValueText) {
    /**
     * Creates a new InlineValueText literal.
     */
    function create(range, text) {
        return { range, text };
    }
    InlineValueText.create = create;
    function is(value) {
        const candidate = value;
        return candidate !== undefined && candidate !== null && Range.is(candidate.range) && Is.string(candidate.text);
    }
    InlineValueText.is = is;
})(InlineValueText || (InlineValueText = {}));
/**
 * The InlineValueVariableLookup namespace provides functions to
 * deal with InlineValueVariableLookups.
 *
 * @since 3.17.0
 */
var InlineValueVariableLookup;
(function (InlineValueVariableLookup) {
    /**
     * Creates a new InlineValueText literal.
     */
    function create(range, variableName, caseSensitiveLookup) {
        return { range, variableName, caseSensitiveLookup };
    }
    InlineValueVariableLookup.create = create;
    function is(value) {
        const candidate = value;
        return candidate !== undefined && candidate !== null && Range.is(candidate.range) && Is.boolean(candidate.caseSensitiveLookup)
            && (Is.string(candidate.variableName) || candidate.variableName === undefined);
    }
    InlineValueVariableLookup.is = is;
})(InlineValueVariableLookup || (InlineValueVariableLookup = {}));
/**
 * The InlineValueEvaluatableExpression namespace provides functions to deal with InlineValueEvaluatableExpression.
 *
 * @since 3.17.0
 */
var InlineValueEvaluatableExpression;
(function (InlineValueEvaluatableExpression) {
    /**
     * Creates a new InlineValueEvaluatableExpression literal.
     */
    function create(range, expression) {
        return { range, expression };
    }
    InlineValueEvaluatableExpression.create = create;
    function is(value) {
        const candidate = value;
        return candidate !== undefined && candidate !== null && Range.is(candidate.range)
            && (Is.string(candidate.expression) || candidate.expression === undefined);
    }
    InlineValueEvaluatableExpression.is = is;
})(InlineValueEvaluatableExpression || (InlineValueEvaluatableExpression = {}));
/**
 * The InlineValueContext namespace provides helper functions to work with
 * {@link InlineValueContext} literals.
 *
 * @since 3.17.0
 */
var InlineValueContext;
(function (InlineValueContext) {
    /**
     * Creates a new InlineValueContext literal.
     */
    function create(frameId, stoppedLocation) {
        return { frameId, stoppedLocation };
    }
    InlineValueContext.create = create;
    /**
     * Checks whether the given literal conforms to the {@link InlineValueContext} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(value.stoppedLocation);
    }
    InlineValueContext.is = is;
})(InlineValueContext || (InlineValueContext = {}));
/**
 * Inlay hint kinds.
 *
 * @since 3.17.0
 */
var InlayHintKind;
(function (InlayHintKind) {
    /**
     * An inlay hint that for a type annotation.
     */
    InlayHintKind.Type = 1;
    /**
     * An inlay hint that is for a parameter.
     */
    InlayHintKind.Parameter = 2;
    function is(value) {
        return value === 1 || value === 2;
    }
    InlayHintKind.is = is;
})(InlayHintKind || (InlayHintKind = {}));
var InlayHintLabelPart;
(function (InlayHintLabelPart) {
    function create(value) {
        return { value };
    }
    InlayHintLabelPart.create = create;
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate)
            && (candidate.tooltip === undefined || Is.string(candidate.tooltip) || MarkupContent.is(candidate.tooltip))
            && (candidate.location === undefined || Location.is(candidate.location))
            && (candidate.command === undefined || Command.is(candidate.command));
    }
    InlayHintLabelPart.is = is;
})(InlayHintLabelPart || (InlayHintLabelPart = {}));
var InlayHint;
(function (InlayHint) {
    function create(position, label, kind) {
        const result = { position, label };
        if (kind !== undefined) {
            result.kind = kind;
        }
        return result;
    }
    InlayHint.create = create;
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Position.is(candidate.position)
            && (Is.string(candidate.label) || Is.typedArray(candidate.label, InlayHintLabelPart.is))
            && (candidate.kind === undefined || InlayHintKind.is(candidate.kind))
            && (candidate.textEdits === undefined) || Is.typedArray(candidate.textEdits, TextEdit.is)
            && (candidate.tooltip === undefined || Is.string(candidate.tooltip) || MarkupContent.is(candidate.tooltip))
            && (candidate.paddingLeft === undefined || Is.boolean(candidate.paddingLeft))
            && (candidate.paddingRight === undefined || Is.boolean(candidate.paddingRight));
    }
    InlayHint.is = is;
})(InlayHint || (InlayHint = {}));
var StringValue;
(function (StringValue) {
    function createSnippet(value) {
        return { kind: 'snippet', value };
    }
    StringValue.createSnippet = createSnippet;
    function isSnippet(value) {
        const candidate = value;
        return Is.objectLiteral(candidate)
            && candidate.kind === 'snippet'
            && Is.string(candidate.value);
    }
    StringValue.isSnippet = isSnippet;
})(StringValue || (StringValue = {}));
var InlineCompletionItem;
(function (InlineCompletionItem) {
    function create(insertText, filterText, range, command) {
        return { insertText, filterText, range, command };
    }
    InlineCompletionItem.create = create;
})(InlineCompletionItem || (InlineCompletionItem = {}));
var InlineCompletionList;
(function (InlineCompletionList) {
    function create(items) {
        return { items };
    }
    InlineCompletionList.create = create;
})(InlineCompletionList || (InlineCompletionList = {}));
/**
 * Describes how an {@link InlineCompletionItemProvider inline completion provider} was triggered.
 *
 * @since 3.18.0
 */
var InlineCompletionTriggerKind;
(function (InlineCompletionTriggerKind) {
    /**
     * Completion was triggered explicitly by a user gesture.
     */
    InlineCompletionTriggerKind.Invoked = 1;
    /**
     * Completion was triggered automatically while editing.
     */
    InlineCompletionTriggerKind.Automatic = 2;
})(InlineCompletionTriggerKind || (InlineCompletionTriggerKind = {}));
var SelectedCompletionInfo;
(function (SelectedCompletionInfo) {
    function create(range, text) {
        return { range, text };
    }
    SelectedCompletionInfo.create = create;
})(SelectedCompletionInfo || (SelectedCompletionInfo = {}));
var InlineCompletionContext;
(function (InlineCompletionContext) {
    function create(triggerKind, selectedCompletionInfo) {
        return { triggerKind, selectedCompletionInfo };
    }
    InlineCompletionContext.create = create;
})(InlineCompletionContext || (InlineCompletionContext = {}));
var WorkspaceFolder;
(function (WorkspaceFolder) {
    function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && URI.is(candidate.uri) && Is.string(candidate.name);
    }
    WorkspaceFolder.is = is;
})(WorkspaceFolder || (WorkspaceFolder = {}));
const EOL = ['\n', '\r\n', '\r'];
/**
 * @deprecated Use the text document from the new vscode-languageserver-textdocument package.
 */
var TextDocument$1;
(function (TextDocument) {
    /**
     * Creates a new ITextDocument literal from the given uri and content.
     * @param uri The document's uri.
     * @param languageId The document's language Id.
     * @param version The document's version.
     * @param content The document's content.
     */
    function create(uri, languageId, version, content) {
        return new FullTextDocument$1(uri, languageId, version, content);
    }
    TextDocument.create = create;
    /**
     * Checks whether the given literal conforms to the {@link ITextDocument} interface.
     */
    function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && (Is.undefined(candidate.languageId) || Is.string(candidate.languageId)) && Is.uinteger(candidate.lineCount)
            && Is.func(candidate.getText) && Is.func(candidate.positionAt) && Is.func(candidate.offsetAt) ? true : false;
    }
    TextDocument.is = is;
    function applyEdits(document, edits) {
        let text = document.getText();
        const sortedEdits = mergeSort(edits, (a, b) => {
            const diff = a.range.start.line - b.range.start.line;
            if (diff === 0) {
                return a.range.start.character - b.range.start.character;
            }
            return diff;
        });
        let lastModifiedOffset = text.length;
        for (let i = sortedEdits.length - 1; i >= 0; i--) {
            const e = sortedEdits[i];
            const startOffset = document.offsetAt(e.range.start);
            const endOffset = document.offsetAt(e.range.end);
            if (endOffset <= lastModifiedOffset) {
                text = text.substring(0, startOffset) + e.newText + text.substring(endOffset, text.length);
            }
            else {
                throw new Error('Overlapping edit');
            }
            lastModifiedOffset = startOffset;
        }
        return text;
    }
    TextDocument.applyEdits = applyEdits;
    function mergeSort(data, compare) {
        if (data.length <= 1) {
            // sorted
            return data;
        }
        const p = (data.length / 2) | 0;
        const left = data.slice(0, p);
        const right = data.slice(p);
        mergeSort(left, compare);
        mergeSort(right, compare);
        let leftIdx = 0;
        let rightIdx = 0;
        let i = 0;
        while (leftIdx < left.length && rightIdx < right.length) {
            const ret = compare(left[leftIdx], right[rightIdx]);
            if (ret <= 0) {
                // smaller_equal -> take left to preserve order
                data[i++] = left[leftIdx++];
            }
            else {
                // greater -> take right
                data[i++] = right[rightIdx++];
            }
        }
        while (leftIdx < left.length) {
            data[i++] = left[leftIdx++];
        }
        while (rightIdx < right.length) {
            data[i++] = right[rightIdx++];
        }
        return data;
    }
})(TextDocument$1 || (TextDocument$1 = {}));
/**
 * @deprecated Use the text document from the new vscode-languageserver-textdocument package.
 */
let FullTextDocument$1 = class FullTextDocument {
    constructor(uri, languageId, version, content) {
        this._uri = uri;
        this._languageId = languageId;
        this._version = version;
        this._content = content;
        this._lineOffsets = undefined;
    }
    get uri() {
        return this._uri;
    }
    get languageId() {
        return this._languageId;
    }
    get version() {
        return this._version;
    }
    getText(range) {
        if (range) {
            const start = this.offsetAt(range.start);
            const end = this.offsetAt(range.end);
            return this._content.substring(start, end);
        }
        return this._content;
    }
    update(event, version) {
        this._content = event.text;
        this._version = version;
        this._lineOffsets = undefined;
    }
    getLineOffsets() {
        if (this._lineOffsets === undefined) {
            const lineOffsets = [];
            const text = this._content;
            let isLineStart = true;
            for (let i = 0; i < text.length; i++) {
                if (isLineStart) {
                    lineOffsets.push(i);
                    isLineStart = false;
                }
                const ch = text.charAt(i);
                isLineStart = (ch === '\r' || ch === '\n');
                if (ch === '\r' && i + 1 < text.length && text.charAt(i + 1) === '\n') {
                    i++;
                }
            }
            if (isLineStart && text.length > 0) {
                lineOffsets.push(text.length);
            }
            this._lineOffsets = lineOffsets;
        }
        return this._lineOffsets;
    }
    positionAt(offset) {
        offset = Math.max(Math.min(offset, this._content.length), 0);
        const lineOffsets = this.getLineOffsets();
        let low = 0, high = lineOffsets.length;
        if (high === 0) {
            return Position.create(0, offset);
        }
        while (low < high) {
            const mid = Math.floor((low + high) / 2);
            if (lineOffsets[mid] > offset) {
                high = mid;
            }
            else {
                low = mid + 1;
            }
        }
        // low is the least x for which the line offset is larger than the current offset
        // or array.length if no line offset is larger than the current offset
        const line = low - 1;
        return Position.create(line, offset - lineOffsets[line]);
    }
    offsetAt(position) {
        const lineOffsets = this.getLineOffsets();
        if (position.line >= lineOffsets.length) {
            return this._content.length;
        }
        else if (position.line < 0) {
            return 0;
        }
        const lineOffset = lineOffsets[position.line];
        const nextLineOffset = (position.line + 1 < lineOffsets.length) ? lineOffsets[position.line + 1] : this._content.length;
        return Math.max(Math.min(lineOffset + position.character, nextLineOffset), lineOffset);
    }
    get lineCount() {
        return this.getLineOffsets().length;
    }
};
var Is;
(function (Is) {
    const toString = Object.prototype.toString;
    function defined(value) {
        return typeof value !== 'undefined';
    }
    Is.defined = defined;
    function undefined$1(value) {
        return typeof value === 'undefined';
    }
    Is.undefined = undefined$1;
    function boolean(value) {
        return value === true || value === false;
    }
    Is.boolean = boolean;
    function string(value) {
        return toString.call(value) === '[object String]';
    }
    Is.string = string;
    function number(value) {
        return toString.call(value) === '[object Number]';
    }
    Is.number = number;
    function numberRange(value, min, max) {
        return toString.call(value) === '[object Number]' && min <= value && value <= max;
    }
    Is.numberRange = numberRange;
    function integer(value) {
        return toString.call(value) === '[object Number]' && -2147483648 <= value && value <= 2147483647;
    }
    Is.integer = integer;
    function uinteger(value) {
        return toString.call(value) === '[object Number]' && 0 <= value && value <= 2147483647;
    }
    Is.uinteger = uinteger;
    function func(value) {
        return toString.call(value) === '[object Function]';
    }
    Is.func = func;
    function objectLiteral(value) {
        // Strictly speaking class instances pass this check as well. Since the LSP
        // doesn't use classes we ignore this for now. If we do we need to add something
        // like this: `Object.getPrototypeOf(Object.getPrototypeOf(x)) === null`
        return value !== null && typeof value === 'object';
    }
    Is.objectLiteral = objectLiteral;
    function typedArray(value, check) {
        return Array.isArray(value) && value.every(check);
    }
    Is.typedArray = typedArray;
})(Is || (Is = {}));

var main$1 = /*#__PURE__*/Object.freeze({
    __proto__: null,
    get AnnotatedTextEdit () { return AnnotatedTextEdit; },
    get ApplyKind () { return ApplyKind; },
    get ChangeAnnotation () { return ChangeAnnotation; },
    get ChangeAnnotationIdentifier () { return ChangeAnnotationIdentifier; },
    get CodeAction () { return CodeAction; },
    get CodeActionContext () { return CodeActionContext; },
    get CodeActionKind () { return CodeActionKind; },
    get CodeActionTag () { return CodeActionTag; },
    get CodeActionTriggerKind () { return CodeActionTriggerKind; },
    get CodeDescription () { return CodeDescription; },
    get CodeLens () { return CodeLens; },
    get Color () { return Color; },
    get ColorInformation () { return ColorInformation; },
    get ColorPresentation () { return ColorPresentation; },
    get Command () { return Command; },
    get CompletionItem () { return CompletionItem; },
    get CompletionItemKind () { return CompletionItemKind; },
    get CompletionItemLabelDetails () { return CompletionItemLabelDetails; },
    get CompletionItemTag () { return CompletionItemTag; },
    get CompletionList () { return CompletionList; },
    get CreateFile () { return CreateFile; },
    get DeleteFile () { return DeleteFile; },
    get Diagnostic () { return Diagnostic; },
    get DiagnosticRelatedInformation () { return DiagnosticRelatedInformation; },
    get DiagnosticSeverity () { return DiagnosticSeverity; },
    get DiagnosticTag () { return DiagnosticTag; },
    get DocumentHighlight () { return DocumentHighlight; },
    get DocumentHighlightKind () { return DocumentHighlightKind; },
    get DocumentLink () { return DocumentLink; },
    get DocumentSymbol () { return DocumentSymbol; },
    get DocumentUri () { return DocumentUri; },
    EOL: EOL,
    get FoldingRange () { return FoldingRange; },
    get FoldingRangeKind () { return FoldingRangeKind; },
    get FormattingOptions () { return FormattingOptions; },
    get Hover () { return Hover; },
    get InlayHint () { return InlayHint; },
    get InlayHintKind () { return InlayHintKind; },
    get InlayHintLabelPart () { return InlayHintLabelPart; },
    get InlineCompletionContext () { return InlineCompletionContext; },
    get InlineCompletionItem () { return InlineCompletionItem; },
    get InlineCompletionList () { return InlineCompletionList; },
    get InlineCompletionTriggerKind () { return InlineCompletionTriggerKind; },
    get InlineValueContext () { return InlineValueContext; },
    get InlineValueEvaluatableExpression () { return InlineValueEvaluatableExpression; },
    get InlineValueText () { return InlineValueText; },
    get InlineValueVariableLookup () { return InlineValueVariableLookup; },
    get InsertReplaceEdit () { return InsertReplaceEdit; },
    get InsertTextFormat () { return InsertTextFormat; },
    get InsertTextMode () { return InsertTextMode; },
    get LanguageKind () { return LanguageKind; },
    get Location () { return Location; },
    get LocationLink () { return LocationLink; },
    get MarkedString () { return MarkedString; },
    get MarkupContent () { return MarkupContent; },
    get MarkupKind () { return MarkupKind; },
    get OptionalVersionedTextDocumentIdentifier () { return OptionalVersionedTextDocumentIdentifier; },
    get ParameterInformation () { return ParameterInformation; },
    get Position () { return Position; },
    get Range () { return Range; },
    get RenameFile () { return RenameFile; },
    get SelectedCompletionInfo () { return SelectedCompletionInfo; },
    get SelectionRange () { return SelectionRange; },
    get SemanticTokenModifiers () { return SemanticTokenModifiers; },
    get SemanticTokenTypes () { return SemanticTokenTypes; },
    get SemanticTokens () { return SemanticTokens; },
    get SignatureInformation () { return SignatureInformation; },
    get SnippetTextEdit () { return SnippetTextEdit; },
    get StringValue () { return StringValue; },
    get SymbolInformation () { return SymbolInformation; },
    get SymbolKind () { return SymbolKind; },
    get SymbolTag () { return SymbolTag; },
    get TextDocument () { return TextDocument$1; },
    get TextDocumentEdit () { return TextDocumentEdit; },
    get TextDocumentIdentifier () { return TextDocumentIdentifier; },
    get TextDocumentItem () { return TextDocumentItem; },
    get TextEdit () { return TextEdit; },
    get URI () { return URI; },
    get VersionedTextDocumentIdentifier () { return VersionedTextDocumentIdentifier; },
    WorkspaceChange: WorkspaceChange,
    get WorkspaceEdit () { return WorkspaceEdit; },
    get WorkspaceFolder () { return WorkspaceFolder; },
    get WorkspaceSymbol () { return WorkspaceSymbol; },
    get integer () { return integer; },
    get uinteger () { return uinteger; }
});

var require$$1 = /*@__PURE__*/getAugmentedNamespace(main$1);

var line = {};

var hasRequiredLine;

function requireLine () {
	if (hasRequiredLine) return line;
	hasRequiredLine = 1;
	Object.defineProperty(line, "__esModule", { value: true });
	line.Line = void 0;
	class Line {
	    constructor(document, range) {
	        this.document = document;
	        this.range = range;
	    }
	    getRange() {
	        return this.range;
	    }
	    getTextContent() {
	        return this.document.getText().substring(this.document.offsetAt(this.range.start), this.document.offsetAt(this.range.end));
	    }
	    isAfter(line) {
	        return this.range.start.line > line.range.start.line;
	    }
	    isBefore(line) {
	        return this.range.start.line < line;
	    }
	}
	line.Line = Line;
	return line;
}

var util = {};

/* --------------------------------------------------------------------------------------------
 * Copyright (c) Remy Suen. All rights reserved.
 * Licensed under the MIT License. See License.txt in the project root for license information.
 * ------------------------------------------------------------------------------------------ */

var hasRequiredUtil;

function requireUtil () {
	if (hasRequiredUtil) return util;
	hasRequiredUtil = 1;
	Object.defineProperty(util, "__esModule", { value: true });
	util.Util = void 0;
	class Util {
	    static isUTF8BOM(char) {
	        const uintArray = Uint8Array.from(Buffer.from(char, "UTF-8"));
	        return uintArray[0] === 0xEF && uintArray[1] == 0xBB && uintArray[2] == 0xBF;
	    }
	    static isWhitespace(char) {
	        return char === ' ' || char === '\t' || Util.isNewline(char);
	    }
	    static isNewline(char) {
	        return char === '\r' || char === '\n';
	    }
	    static findLeadingNonWhitespace(content, escapeChar) {
	        whitespaceCheck: for (let i = 0; i < content.length; i++) {
	            switch (content.charAt(i)) {
	                case ' ':
	                case '\t':
	                    continue;
	                case escapeChar:
	                    escapeCheck: for (let j = i + 1; j < content.length; j++) {
	                        switch (content.charAt(j)) {
	                            case ' ':
	                            case '\t':
	                                continue;
	                            case '\r':
	                                // offset one more for \r\n
	                                i = j + 1;
	                                continue whitespaceCheck;
	                            case '\n':
	                                i = j;
	                                continue whitespaceCheck;
	                            default:
	                                break escapeCheck;
	                        }
	                    }
	                    // found an escape character and then reached EOF
	                    return -1;
	                default:
	                    return i;
	            }
	        }
	        // only possible if the content is the empty string
	        return -1;
	    }
	    /**
	     * Determines if the given position is contained within the given range.
	     *
	     * @param position the position to check
	     * @param range the range to see if the position is inside of
	     */
	    static isInsideRange(position, range) {
	        if (range.start.line === range.end.line) {
	            return range.start.line === position.line
	                && range.start.character <= position.character
	                && position.character <= range.end.character;
	        }
	        else if (range.start.line === position.line) {
	            return range.start.character <= position.character;
	        }
	        else if (range.end.line === position.line) {
	            return position.character <= range.end.character;
	        }
	        return range.start.line < position.line && position.line < range.end.line;
	    }
	    static parseHeredocName(value) {
	        value = value.substring(2);
	        if (value.charAt(0) === '-') {
	            value = value.substring(1);
	        }
	        if (value.charAt(0) === '"') {
	            if (value.charAt(value.length - 1) !== '"') {
	                return null;
	            }
	            value = value.substring(1, value.length - 1);
	        }
	        if (value.charAt(0) === '\'') {
	            if (value.charAt(value.length - 1) !== '\'') {
	                return null;
	            }
	            value = value.substring(1, value.length - 1);
	        }
	        if (value.charAt(0) === "<") {
	            return null;
	        }
	        return value;
	    }
	}
	util.Util = Util;
	return util;
}

var hasRequiredComment;

function requireComment () {
	if (hasRequiredComment) return comment;
	hasRequiredComment = 1;
	Object.defineProperty(comment, "__esModule", { value: true });
	comment.Comment = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const line_1 = requireLine();
	const util_1 = requireUtil();
	class Comment extends line_1.Line {
	    constructor(document, range) {
	        super(document, range);
	    }
	    toString() {
	        const content = this.getContent();
	        if (content) {
	            return "# " + content;
	        }
	        return "#";
	    }
	    /**
	     * Returns the content of this comment. This excludes leading and
	     * trailing whitespace as well as the # symbol. If the comment only
	     * consists of whitespace, the empty string will be returned.
	     */
	    getContent() {
	        let range = this.getContentRange();
	        if (range === null) {
	            return "";
	        }
	        return this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
	    }
	    /**
	     * Returns a range that includes the content of the comment
	     * excluding any leading and trailing whitespace as well as the #
	     * symbol. May return null if the comment only consists of whitespace
	     * characters.
	     */
	    getContentRange() {
	        let range = this.getRange();
	        const startOffset = this.document.offsetAt(range.start);
	        let raw = this.document.getText().substring(startOffset, this.document.offsetAt(range.end));
	        let start = -1;
	        let end = -1;
	        // skip the first # symbol
	        for (let i = 1; i < raw.length; i++) {
	            if (!util_1.Util.isWhitespace(raw.charAt(i))) {
	                start = i;
	                break;
	            }
	        }
	        if (start === -1) {
	            return null;
	        }
	        // go backwards up to the first # symbol
	        for (let i = raw.length - 1; i >= 1; i--) {
	            if (!util_1.Util.isWhitespace(raw.charAt(i))) {
	                end = i + 1;
	                break;
	            }
	        }
	        return vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + start), this.document.positionAt(startOffset + end));
	    }
	}
	comment.Comment = Comment;
	return comment;
}

var parser = {};

/* --------------------------------------------------------------------------------------------
 * Copyright (c) Microsoft Corporation. All rights reserved.
 * Licensed under the MIT License. See License.txt in the project root for license information.
 * ------------------------------------------------------------------------------------------ */
class FullTextDocument {
    constructor(uri, languageId, version, content) {
        this._uri = uri;
        this._languageId = languageId;
        this._version = version;
        this._content = content;
        this._lineOffsets = undefined;
    }
    get uri() {
        return this._uri;
    }
    get languageId() {
        return this._languageId;
    }
    get version() {
        return this._version;
    }
    getText(range) {
        if (range) {
            const start = this.offsetAt(range.start);
            const end = this.offsetAt(range.end);
            return this._content.substring(start, end);
        }
        return this._content;
    }
    update(changes, version) {
        for (const change of changes) {
            if (FullTextDocument.isIncremental(change)) {
                // makes sure start is before end
                const range = getWellformedRange(change.range);
                // update content
                const startOffset = this.offsetAt(range.start);
                const endOffset = this.offsetAt(range.end);
                this._content = this._content.substring(0, startOffset) + change.text + this._content.substring(endOffset, this._content.length);
                const insertedEndOffset = startOffset + change.text.length;
                const crlfAtStart = this._content.charCodeAt(startOffset - 1) === 13 /* CharCode.CarriageReturn */ && this._content.charCodeAt(startOffset) === 10 /* CharCode.LineFeed */;
                const crlfAtEnd = this._content.charCodeAt(insertedEndOffset - 1) === 13 /* CharCode.CarriageReturn */ && this._content.charCodeAt(insertedEndOffset) === 10 /* CharCode.LineFeed */;
                if (crlfAtStart || crlfAtEnd) {
                    // A CRLF pair across an edit boundary is not included in the inserted text's line offsets.
                    this._lineOffsets = undefined;
                    continue;
                }
                // update the offsets
                const startLine = Math.max(range.start.line, 0);
                const endLine = Math.max(range.end.line, 0);
                let lineOffsets = this._lineOffsets;
                const addedLineOffsets = computeLineOffsets(change.text, false, startOffset);
                if (endLine - startLine === addedLineOffsets.length) {
                    for (let i = 0, len = addedLineOffsets.length; i < len; i++) {
                        lineOffsets[i + startLine + 1] = addedLineOffsets[i];
                    }
                }
                else {
                    if (addedLineOffsets.length < 10000) {
                        lineOffsets.splice(startLine + 1, endLine - startLine, ...addedLineOffsets);
                    }
                    else { // avoid too many arguments for splice
                        this._lineOffsets = lineOffsets = lineOffsets.slice(0, startLine + 1).concat(addedLineOffsets, lineOffsets.slice(endLine + 1));
                    }
                }
                const diff = change.text.length - (endOffset - startOffset);
                if (diff !== 0) {
                    for (let i = startLine + 1 + addedLineOffsets.length, len = lineOffsets.length; i < len; i++) {
                        lineOffsets[i] = lineOffsets[i] + diff;
                    }
                }
            }
            else if (FullTextDocument.isFull(change)) {
                this._content = change.text;
                this._lineOffsets = undefined;
            }
            else {
                throw new Error('Unknown change event received');
            }
        }
        this._version = version;
    }
    getLineOffsets() {
        if (this._lineOffsets === undefined) {
            this._lineOffsets = computeLineOffsets(this._content, true);
        }
        return this._lineOffsets;
    }
    positionAt(offset) {
        offset = Math.max(Math.min(offset, this._content.length), 0);
        const lineOffsets = this.getLineOffsets();
        let low = 0, high = lineOffsets.length;
        if (high === 0) {
            return { line: 0, character: offset };
        }
        while (low < high) {
            const mid = Math.floor((low + high) / 2);
            if (lineOffsets[mid] > offset) {
                high = mid;
            }
            else {
                low = mid + 1;
            }
        }
        // low is the least x for which the line offset is larger than the current offset
        // or array.length if no line offset is larger than the current offset
        const line = low - 1;
        offset = this.ensureBeforeEOL(offset, lineOffsets[line]);
        return { line, character: offset - lineOffsets[line] };
    }
    offsetAt(position) {
        const lineOffsets = this.getLineOffsets();
        if (position.line >= lineOffsets.length) {
            return this._content.length;
        }
        else if (position.line < 0) {
            return 0;
        }
        const lineOffset = lineOffsets[position.line];
        if (position.character <= 0) {
            return lineOffset;
        }
        const nextLineOffset = (position.line + 1 < lineOffsets.length) ? lineOffsets[position.line + 1] : this._content.length;
        const offset = Math.min(lineOffset + position.character, nextLineOffset);
        return this.ensureBeforeEOL(offset, lineOffset);
    }
    getLineRange(line) {
        const lineOffsets = this.getLineOffsets();
        if (line >= lineOffsets.length) {
            const lastLine = lineOffsets.length - 1;
            return { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: this._content.length - lineOffsets[lastLine] } };
        }
        else if (line < 0) {
            return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        }
        const startOffset = lineOffsets[line];
        const nextLineOffset = (line + 1 < lineOffsets.length) ? lineOffsets[line + 1] : this._content.length;
        const endOffset = this.ensureBeforeEOL(nextLineOffset, startOffset);
        return { start: { line, character: 0 }, end: { line, character: endOffset - startOffset } };
    }
    getEOLCharacters(line) {
        const lineOffsets = this.getLineOffsets();
        if (line >= lineOffsets.length) {
            return '';
        }
        else if (line < 0) {
            return '';
        }
        const nextLineOffset = (line + 1 < lineOffsets.length) ? lineOffsets[line + 1] : this._content.length;
        const eolOffset = this.ensureBeforeEOL(nextLineOffset, lineOffsets[line]);
        return this._content.substring(eolOffset, nextLineOffset);
    }
    ensureBeforeEOL(offset, lineOffset) {
        while (offset > lineOffset && isEOL(this._content.charCodeAt(offset - 1))) {
            offset--;
        }
        return offset;
    }
    get lineCount() {
        return this.getLineOffsets().length;
    }
    static isIncremental(event) {
        const candidate = event;
        return candidate !== undefined && candidate !== null &&
            typeof candidate.text === 'string' && candidate.range !== undefined &&
            (candidate.rangeLength === undefined || typeof candidate.rangeLength === 'number');
    }
    static isFull(event) {
        const candidate = event;
        return candidate !== undefined && candidate !== null &&
            typeof candidate.text === 'string' && candidate.range === undefined && candidate.rangeLength === undefined;
    }
}
var TextDocument;
(function (TextDocument) {
    /**
     * Creates a new text document.
     *
     * @param uri The document's uri.
     * @param languageId  The document's language Id.
     * @param version The document's initial version number.
     * @param content The document's content.
     */
    function create(uri, languageId, version, content) {
        return new FullTextDocument(uri, languageId, version, content);
    }
    TextDocument.create = create;
    /**
     * Updates a TextDocument by modifying its content.
     *
     * @param document the document to update. Only documents created by TextDocument.create are valid inputs.
     * @param changes the changes to apply to the document.
     * @param version the changes version for the document.
     * @returns The updated TextDocument. Note: That's the same document instance passed in as first parameter.
     *
     */
    function update(document, changes, version) {
        if (document instanceof FullTextDocument) {
            document.update(changes, version);
            return document;
        }
        else {
            throw new Error('TextDocument.update: document must be created by TextDocument.create');
        }
    }
    TextDocument.update = update;
    function applyEdits(document, edits) {
        const text = document.getText();
        const sortedEdits = mergeSort(edits.map(getWellformedEdit), (a, b) => {
            const diff = a.range.start.line - b.range.start.line;
            if (diff === 0) {
                return a.range.start.character - b.range.start.character;
            }
            return diff;
        });
        let lastModifiedOffset = 0;
        const spans = [];
        for (const e of sortedEdits) {
            const startOffset = document.offsetAt(e.range.start);
            if (startOffset < lastModifiedOffset) {
                throw new Error('Overlapping edit');
            }
            else if (startOffset > lastModifiedOffset) {
                spans.push(text.substring(lastModifiedOffset, startOffset));
            }
            if (e.newText.length) {
                spans.push(e.newText);
            }
            lastModifiedOffset = document.offsetAt(e.range.end);
        }
        spans.push(text.substr(lastModifiedOffset));
        return spans.join('');
    }
    TextDocument.applyEdits = applyEdits;
})(TextDocument || (TextDocument = {}));
function mergeSort(data, compare) {
    if (data.length <= 1) {
        // sorted
        return data;
    }
    const p = (data.length / 2) | 0;
    const left = data.slice(0, p);
    const right = data.slice(p);
    mergeSort(left, compare);
    mergeSort(right, compare);
    let leftIdx = 0;
    let rightIdx = 0;
    let i = 0;
    while (leftIdx < left.length && rightIdx < right.length) {
        const ret = compare(left[leftIdx], right[rightIdx]);
        if (ret <= 0) {
            // smaller_equal -> take left to preserve order
            data[i++] = left[leftIdx++];
        }
        else {
            // greater -> take right
            data[i++] = right[rightIdx++];
        }
    }
    while (leftIdx < left.length) {
        data[i++] = left[leftIdx++];
    }
    while (rightIdx < right.length) {
        data[i++] = right[rightIdx++];
    }
    return data;
}
function computeLineOffsets(text, isAtLineStart, textOffset = 0) {
    const result = isAtLineStart ? [textOffset] : [];
    for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (isEOL(ch)) {
            if (ch === 13 /* CharCode.CarriageReturn */ && i + 1 < text.length && text.charCodeAt(i + 1) === 10 /* CharCode.LineFeed */) {
                i++;
            }
            result.push(textOffset + i + 1);
        }
    }
    return result;
}
function isEOL(char) {
    return char === 13 /* CharCode.CarriageReturn */ || char === 10 /* CharCode.LineFeed */;
}
function getWellformedRange(range) {
    const start = range.start;
    const end = range.end;
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) {
        return { start: end, end: start };
    }
    return range;
}
function getWellformedEdit(textEdit) {
    const range = getWellformedRange(textEdit.range);
    if (range !== textEdit.range) {
        return { newText: textEdit.newText, range };
    }
    return textEdit;
}

var main = /*#__PURE__*/Object.freeze({
    __proto__: null,
    get TextDocument () { return TextDocument; }
});

var require$$0 = /*@__PURE__*/getAugmentedNamespace(main);

var parserDirective = {};

var hasRequiredParserDirective;

function requireParserDirective () {
	if (hasRequiredParserDirective) return parserDirective;
	hasRequiredParserDirective = 1;
	Object.defineProperty(parserDirective, "__esModule", { value: true });
	parserDirective.ParserDirective = void 0;
	const main_1 = requireMain();
	const line_1 = requireLine();
	class ParserDirective extends line_1.Line {
	    constructor(document, range, nameRange, valueRange) {
	        super(document, range);
	        this.nameRange = nameRange;
	        this.valueRange = valueRange;
	    }
	    toString() {
	        return "# " + this.getName() + '=' + this.getValue();
	    }
	    getNameRange() {
	        return this.nameRange;
	    }
	    getValueRange() {
	        return this.valueRange;
	    }
	    getName() {
	        return this.document.getText().substring(this.document.offsetAt(this.nameRange.start), this.document.offsetAt(this.nameRange.end));
	    }
	    getValue() {
	        return this.document.getText().substring(this.document.offsetAt(this.valueRange.start), this.document.offsetAt(this.valueRange.end));
	    }
	    getDirective() {
	        const directive = main_1.Directive[this.getName().toLowerCase()];
	        return directive === undefined ? null : directive;
	    }
	}
	parserDirective.ParserDirective = ParserDirective;
	return parserDirective;
}

var instruction = {};

var heredoc = {};

var hasRequiredHeredoc;

function requireHeredoc () {
	if (hasRequiredHeredoc) return heredoc;
	hasRequiredHeredoc = 1;
	Object.defineProperty(heredoc, "__esModule", { value: true });
	heredoc.Heredoc = void 0;
	/**
	 * Heredoc represents a here-document that has been embedded in a
	 * Dockerfile.
	 *
	 * This API is experimental and subject to change.
	 */
	class Heredoc {
	    constructor(startRange, name, nameRange, contentRange, endRange) {
	        this.startRange = startRange;
	        this.name = name;
	        this.nameRange = nameRange;
	        this.contentRange = contentRange;
	        this.endRange = endRange;
	    }
	    /**
	     * Returns the name of the here-document.
	     *
	     * This API is experimental and subject to change.
	     */
	    getName() {
	        return this.name;
	    }
	    /**
	     * Returns the range of the start operator and the name. If the
	     * here-document is initialized with <<EOT then the start range would
	     * encompass all five characters.
	     *
	     * This API is experimental and subject to change.
	     */
	    getStartRange() {
	        return this.startRange;
	    }
	    /**
	     * Returns the range of this here-document's name that is declared at
	     * the beginning of the here-document with the operator. If the
	     * here-document is initialized with <<EOT then the name range would
	     * encompass the latter three "EOT" characters.
	     *
	     * This API is experimental and subject to change.
	     */
	    getNameRange() {
	        return this.nameRange;
	    }
	    /**
	     * Returns the range of the content of this here-document. This may
	     * be null if the here-document has no content because:
	     * - the start range is the only thing that was declared
	     * - the end range was declared immediately and there is no content
	     *
	     * This API is experimental and subject to change.
	     */
	    getContentRange() {
	        return this.contentRange;
	    }
	    /**
	     * Returns the range of the here-document's name on a line that
	     * represents the end of the here-document.
	     *
	     * This API is experimental and subject to change.
	     */
	    getDelimiterRange() {
	        return this.endRange;
	    }
	}
	heredoc.Heredoc = Heredoc;
	return heredoc;
}

var variable = {};

var hasRequiredVariable;

function requireVariable () {
	if (hasRequiredVariable) return variable;
	hasRequiredVariable = 1;
	Object.defineProperty(variable, "__esModule", { value: true });
	variable.Variable = void 0;
	class Variable {
	    constructor(name, nameRange, range, modifier, modifierRange, substitutionParameter, substitutionRange, defined, buildVariable, stringValue) {
	        this.name = name;
	        this.nameRange = nameRange;
	        this.range = range;
	        this.modifier = modifier;
	        this.modifierRange = modifierRange;
	        this.substitutionParameter = substitutionParameter;
	        this.substitutionRange = substitutionRange;
	        this.defined = defined;
	        this.buildVariable = buildVariable;
	        this.stringValue = stringValue;
	    }
	    toString() {
	        return this.stringValue;
	    }
	    getName() {
	        return this.name;
	    }
	    getNameRange() {
	        return this.nameRange;
	    }
	    /**
	     * Returns the range of the entire variable. This includes the symbols for
	     * the declaration of the variable such as the $, {, and } symbols.
	     *
	     * @return the range in the document that this variable encompasses in its
	     *         entirety
	     */
	    getRange() {
	        return this.range;
	    }
	    /**
	     * Returns the modifier character that has been set for
	     * specifying how this variable should be expanded and resolved.
	     * If this variable is ${variable:+value} then the modifier
	     * character is '+'. Will be the empty string if the variable is
	     * declared as ${variable:}. Otherwise, will be null if this
	     * variable will not use variable substitution at all (such as
	     * ${variable} or $variable).
	     *
	     * @return this variable's modifier character, or the empty
	     *         string if it does not have one, or null if this
	     *         variable will not use variable substitution
	     */
	    getModifier() {
	        return this.modifier;
	    }
	    getModifierRange() {
	        return this.modifierRange;
	    }
	    /**
	     * Returns the parameter that will be used for substitution if
	     * this variable uses modifiers to define how its value should be
	     * resolved. If this variable is ${variable:+value} then the
	     * substitution value will be 'value'. Will be the empty string
	     * if the variable is declared as ${variable:+} or some other
	     * variant where the only thing that follows the modifier
	     * character (excluding considerations of escape characters and
	     * so on) is the variable's closing bracket. May be null if this
	     * variable does not have a modifier character defined (such as
	     * ${variable} or $variable).
	     *
	     * @return this variable's substitution parameter, or the empty
	     *         string if it does not have one, or null if there is
	     *         not one defined
	     */
	    getSubstitutionParameter() {
	        return this.substitutionParameter;
	    }
	    getSubstitutionRange() {
	        return this.substitutionRange;
	    }
	    /**
	     * Returns whether this variable has been defined or not.
	     *
	     * @return true if this variable has been defined, false otherwise
	     */
	    isDefined() {
	        return this.defined;
	    }
	    isBuildVariable() {
	        return this.buildVariable === true;
	    }
	    isEnvironmentVariable() {
	        return this.buildVariable === false;
	    }
	}
	variable.Variable = Variable;
	return variable;
}

var hasRequiredInstruction;

function requireInstruction () {
	if (hasRequiredInstruction) return instruction;
	hasRequiredInstruction = 1;
	Object.defineProperty(instruction, "__esModule", { value: true });
	instruction.Instruction = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const util_1 = requireUtil();
	const line_1 = requireLine();
	const argument_1 = requireArgument();
	const heredoc_1 = requireHeredoc();
	const variable_1 = requireVariable();
	const main_1 = requireMain();
	class Instruction extends line_1.Line {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range);
	        this.dockerfile = dockerfile;
	        this.escapeChar = escapeChar;
	        this.instruction = instruction;
	        this.instructionRange = instructionRange;
	    }
	    toString() {
	        let value = this.getKeyword();
	        for (let arg of this.getRawArguments()) {
	            value += ' ';
	            value += arg.getValue();
	        }
	        return value;
	    }
	    getRangeContent(range) {
	        if (range === null) {
	            return null;
	        }
	        return this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
	    }
	    getInstructionRange() {
	        return this.instructionRange;
	    }
	    getInstruction() {
	        return this.instruction;
	    }
	    getKeyword() {
	        return this.getInstruction().toUpperCase();
	    }
	    getArgumentsRange() {
	        let args = this.getArguments();
	        if (args.length === 0) {
	            return null;
	        }
	        return vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end);
	    }
	    getArgumentsRanges() {
	        let args = this.getArguments();
	        if (args.length === 0) {
	            return [];
	        }
	        if (args[0].getRange().start.line === args[args.length - 1].getRange().end.line) {
	            return [vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end)];
	        }
	        let ranges = [];
	        let end = -1;
	        let startPosition = args[0].getRange().start;
	        let range = this.getInstructionRange();
	        let extra = this.document.offsetAt(startPosition) - this.document.offsetAt(range.start);
	        let content = this.getTextContent();
	        let fullArgs = content.substring(extra, this.document.offsetAt(args[args.length - 1].getRange().end) - this.document.offsetAt(range.start));
	        let offset = this.document.offsetAt(range.start) + extra;
	        let comment = false;
	        for (let i = 0; i < fullArgs.length; i++) {
	            let char = fullArgs.charAt(i);
	            if (char === this.escapeChar) {
	                let next = fullArgs.charAt(i + 1);
	                if (next === ' ' || next === '\t') {
	                    whitespaceCheck: for (let j = i + 2; j < fullArgs.length; j++) {
	                        switch (fullArgs.charAt(j)) {
	                            case ' ':
	                            case '\t':
	                                continue;
	                            case '\r':
	                                j++;
	                            case '\n':
	                                if (startPosition !== null) {
	                                    ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
	                                }
	                                startPosition = null;
	                                comment = false;
	                                i = j;
	                                break whitespaceCheck;
	                            default:
	                                break whitespaceCheck;
	                        }
	                    }
	                }
	                else if (next === '\r') {
	                    if (startPosition !== null) {
	                        ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
	                        startPosition = null;
	                    }
	                    comment = false;
	                    i += 2;
	                }
	                else if (next === '\n') {
	                    if (startPosition !== null) {
	                        ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
	                    }
	                    startPosition = null;
	                    comment = false;
	                    i++;
	                }
	                else {
	                    i++;
	                }
	            }
	            else if (util_1.Util.isNewline(char)) {
	                if (comment) {
	                    startPosition = null;
	                    comment = false;
	                }
	            }
	            else {
	                if (!comment) {
	                    if (startPosition === null) {
	                        if (char === '#') {
	                            comment = true;
	                            continue;
	                        }
	                        let position = this.document.positionAt(offset + i);
	                        if (position.character !== 0) {
	                            startPosition = vscode_languageserver_types_1.Position.create(position.line, 0);
	                        }
	                    }
	                    end = i;
	                }
	            }
	        }
	        if (startPosition === null) {
	            // should only happen if the last argument is on its own line with
	            // no leading whitespace
	            ranges.push(vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + end), this.document.positionAt(offset + end + 1)));
	        }
	        else {
	            ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
	        }
	        return ranges;
	    }
	    getRawArgumentsContent() {
	        let args = this.getArguments();
	        if (args.length === 0) {
	            return null;
	        }
	        return this.getRangeContent(vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end));
	    }
	    getArgumentsContent() {
	        let args = this.getArguments();
	        if (args.length === 0) {
	            return null;
	        }
	        let content = "";
	        let ranges = this.getArgumentsRanges();
	        let documentText = this.document.getText();
	        for (let range of ranges) {
	            content += documentText.substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
	        }
	        return content;
	    }
	    getArguments() {
	        return this.getRawArguments();
	    }
	    getRawArguments() {
	        let args = [];
	        let range = this.getInstructionRange();
	        let extra = this.document.offsetAt(range.end) - this.document.offsetAt(range.start);
	        let content = this.getTextContent();
	        let fullArgs = content.substring(extra);
	        let offset = this.document.offsetAt(range.start) + extra;
	        let start = false;
	        let comment = false;
	        let found = -1;
	        // determines whether the parser has found a space or tab
	        // whitespace character that's a part of an escaped newline sequence
	        let escapedWhitespaceDetected = false;
	        // determines if the parser is currently in an escaped newline sequence
	        let escaping = false;
	        let escapeMarker = -1;
	        let escapedArg = "";
	        for (let i = 0; i < fullArgs.length; i++) {
	            let char = fullArgs.charAt(i);
	            if (util_1.Util.isWhitespace(char)) {
	                if (escaping) {
	                    escapedWhitespaceDetected = true;
	                    if (util_1.Util.isNewline(char)) {
	                        // reached a newline, any previously
	                        // detected whitespace should be ignored
	                        escapedWhitespaceDetected = false;
	                        if (comment) {
	                            // reached a newline, no longer in a comment
	                            comment = false;
	                            start = true;
	                        }
	                    }
	                    continue;
	                }
	                else if (found !== -1) {
	                    if (escapeMarker === -1) {
	                        args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + i))));
	                    }
	                    else {
	                        args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
	                    }
	                    escapeMarker = -1;
	                    escapedArg = "";
	                    found = -1;
	                }
	            }
	            else if (char === this.escapeChar) {
	                let next = fullArgs.charAt(i + 1);
	                if (next === ' ' || next === '\t') {
	                    whitespaceCheck: for (let j = i + 2; j < fullArgs.length; j++) {
	                        let newlineCheck = fullArgs.charAt(j);
	                        switch (newlineCheck) {
	                            case ' ':
	                            case '\t':
	                                continue;
	                            case '\r':
	                                j++;
	                            case '\n':
	                                comment = false;
	                                escaping = true;
	                                start = true;
	                                if (found !== -1) {
	                                    escapeMarker = i;
	                                }
	                                i = j;
	                                break whitespaceCheck;
	                            default:
	                                escapeMarker = i;
	                                if (found === -1) {
	                                    i = j - 1;
	                                }
	                                break whitespaceCheck;
	                        }
	                    }
	                }
	                else if (next === '\r') {
	                    comment = false;
	                    escaping = true;
	                    start = true;
	                    if (found !== -1 && escapeMarker === -1) {
	                        escapeMarker = i;
	                    }
	                    i += 2;
	                }
	                else if (next === '\n') {
	                    comment = false;
	                    escaping = true;
	                    start = true;
	                    if (found !== -1 && escapeMarker === -1) {
	                        escapeMarker = i;
	                    }
	                    i++;
	                }
	                else {
	                    if (escapedWhitespaceDetected && escapeMarker !== -1) {
	                        args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
	                        escapedArg = "";
	                        found = -1;
	                    }
	                    escapeMarker = -1;
	                    escapedWhitespaceDetected = false;
	                    escaping = false;
	                    if (next === '$') {
	                        escapedArg = escapedArg + char + next;
	                    }
	                    else if (next === '') {
	                        // reached EOF, stop processing
	                        break;
	                    }
	                    else {
	                        escapedArg = escapedArg + next;
	                    }
	                    if (found === -1) {
	                        found = i;
	                    }
	                    i++;
	                }
	            }
	            else if (!comment) {
	                if (start && char === '#') {
	                    comment = true;
	                }
	                else {
	                    if (escapedWhitespaceDetected && escapeMarker !== -1) {
	                        args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
	                        escapedArg = "";
	                        found = -1;
	                    }
	                    escapedWhitespaceDetected = false;
	                    escaping = false;
	                    escapeMarker = -1;
	                    escapedArg = escapedArg + char;
	                    if (found === -1) {
	                        found = i;
	                    }
	                }
	                // non-whitespace character detected, reset
	                start = false;
	            }
	        }
	        if (found !== -1) {
	            if (escapeMarker === -1) {
	                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + fullArgs.length))));
	            }
	            else {
	                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
	            }
	        }
	        return args;
	    }
	    getExpandedArguments() {
	        let args = this.getArguments();
	        for (let i = 0; i < args.length; i++) {
	            const argRange = args[i].getRange();
	            let offset = this.document.offsetAt(argRange.start);
	            const variables = this.parseVariables(offset, args[i].getValue());
	            const swaps = [];
	            let requiresExpansion = false;
	            for (let variable of variables) {
	                const value = this.dockerfile.resolveVariable(variable.getName(), variable.getNameRange().start.line);
	                swaps.push(value);
	                requiresExpansion = requiresExpansion || value !== undefined;
	            }
	            if (requiresExpansion) {
	                let expanded = "";
	                for (let j = 0; j < swaps.length; j++) {
	                    const variableRange = variables[j].getRange();
	                    const start = this.document.offsetAt(variableRange.start);
	                    const end = this.document.offsetAt(variableRange.end);
	                    if (swaps[j]) {
	                        // replace variable with its resolved value
	                        expanded += this.document.getText().substring(offset, start);
	                        expanded += swaps[j];
	                        offset = end;
	                    }
	                    else {
	                        expanded += this.document.getText().substring(offset, end);
	                        offset = end;
	                    }
	                }
	                const argEnd = this.document.offsetAt(argRange.end);
	                if (argEnd !== offset) {
	                    // if the variable's range doesn't match the argument,
	                    // append the remaining text
	                    expanded += this.document.getText().substring(offset, argEnd);
	                }
	                args[i] = new argument_1.Argument(expanded, argRange);
	            }
	        }
	        return args;
	    }
	    getVariables() {
	        const variables = [];
	        const args = this.getRawArguments();
	        for (const arg of args) {
	            let range = arg.getRange();
	            let rawValue = this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
	            const parsedVariables = this.parseVariables(this.document.offsetAt(arg.getRange().start), rawValue);
	            for (const parsedVariable of parsedVariables) {
	                variables.push(parsedVariable);
	            }
	        }
	        return variables;
	    }
	    parseVariables(offset, arg) {
	        let variables = [];
	        variableLoop: for (let i = 0; i < arg.length; i++) {
	            switch (arg.charAt(i)) {
	                case this.escapeChar:
	                    if (arg.charAt(i + 1) === '$') {
	                        i++;
	                    }
	                    break;
	                case '$':
	                    if (arg.charAt(i + 1) === '{') {
	                        let escapedString = "${";
	                        let escapedName = "";
	                        let nameEnd = -1;
	                        let escapedSubstitutionParameter = "";
	                        let substitutionStart = -1;
	                        let substitutionEnd = -1;
	                        let modifierRead = -1;
	                        nameLoop: for (let j = i + 2; j < arg.length; j++) {
	                            let char = arg.charAt(j);
	                            switch (char) {
	                                case this.escapeChar:
	                                    for (let k = j + 1; k < arg.length; k++) {
	                                        switch (arg.charAt(k)) {
	                                            case ' ':
	                                            case '\t':
	                                            case '\r':
	                                                // ignore whitespace
	                                                continue;
	                                            case '\n':
	                                                // escape this newline
	                                                j = k;
	                                                continue nameLoop;
	                                        }
	                                    }
	                                    break;
	                                case '}':
	                                    escapedString += '}';
	                                    let modifier = null;
	                                    let modifierRange = null;
	                                    let substitutionParameter = modifierRead !== -1 ? escapedSubstitutionParameter : null;
	                                    let substitutionRange = null;
	                                    if (nameEnd === -1) {
	                                        nameEnd = j;
	                                    }
	                                    else if (nameEnd + 1 === j) {
	                                        modifier = "";
	                                        modifierRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + nameEnd + 1), this.document.positionAt(offset + nameEnd + 1));
	                                    }
	                                    else {
	                                        if (substitutionStart === -1) {
	                                            // no substitution parameter found,
	                                            // but a modifier character existed,
	                                            // just offset the range by 1 from
	                                            // the modifier character
	                                            substitutionStart = modifierRead + 1;
	                                            substitutionEnd = modifierRead + 1;
	                                        }
	                                        else {
	                                            // offset one more from the last
	                                            // character found
	                                            substitutionEnd = substitutionEnd + 1;
	                                        }
	                                        modifier = arg.substring(modifierRead, modifierRead + 1);
	                                        modifierRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + modifierRead), this.document.positionAt(offset + modifierRead + 1));
	                                        substitutionRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + substitutionStart), this.document.positionAt(offset + substitutionEnd));
	                                    }
	                                    let start = this.document.positionAt(offset + i);
	                                    variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i + 2), this.document.positionAt(offset + nameEnd)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + j + 1)), modifier, modifierRange, substitutionParameter, substitutionRange, this.dockerfile.resolveVariable(escapedName, start.line) !== undefined, this.isBuildVariable(escapedName, start.line), escapedString));
	                                    i = j;
	                                    continue variableLoop;
	                                case ':':
	                                    if (nameEnd === -1) {
	                                        nameEnd = j;
	                                    }
	                                    else if (modifierRead !== -1) {
	                                        if (substitutionStart === -1) {
	                                            substitutionStart = j;
	                                            substitutionEnd = j;
	                                        }
	                                        else {
	                                            substitutionEnd = j;
	                                        }
	                                        escapedSubstitutionParameter += ':';
	                                    }
	                                    else {
	                                        modifierRead = j;
	                                    }
	                                    escapedString += ':';
	                                    break;
	                                case '\n':
	                                case '\r':
	                                case ' ':
	                                case '\t':
	                                    break;
	                                default:
	                                    if (nameEnd === -1) {
	                                        escapedName += char;
	                                    }
	                                    else if (modifierRead !== -1) {
	                                        if (substitutionStart === -1) {
	                                            substitutionStart = j;
	                                            substitutionEnd = j;
	                                        }
	                                        else {
	                                            substitutionEnd = j;
	                                        }
	                                        escapedSubstitutionParameter += char;
	                                    }
	                                    else {
	                                        modifierRead = j;
	                                    }
	                                    escapedString += char;
	                                    break;
	                            }
	                        }
	                        // no } found, not a valid variable, stop processing
	                        break variableLoop;
	                    }
	                    else if (util_1.Util.isWhitespace(arg.charAt(i + 1)) || i === arg.length - 1) {
	                        // $ followed by whitespace or EOF, ignore this variable
	                        continue;
	                    }
	                    else {
	                        let escapedName = "";
	                        nameLoop: for (let j = i + 1; j < arg.length; j++) {
	                            let char = arg.charAt(j);
	                            switch (char) {
	                                case '\r':
	                                case '\n':
	                                case ' ':
	                                case '\t':
	                                    continue;
	                                case '$':
	                                case '\'':
	                                case '"':
	                                    let varStart = this.document.positionAt(offset + i);
	                                    variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(varStart, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, varStart.line) !== undefined, this.isBuildVariable(escapedName, varStart.line), '$' + escapedName));
	                                    i = j - 1;
	                                    continue variableLoop;
	                                case this.escapeChar:
	                                    for (let k = j + 1; k < arg.length; k++) {
	                                        switch (arg.charAt(k)) {
	                                            case ' ':
	                                            case '\t':
	                                            case '\r':
	                                                // ignore whitespace
	                                                continue;
	                                            case '\n':
	                                                // escape this newline
	                                                j = k;
	                                                continue nameLoop;
	                                        }
	                                    }
	                                    // reached EOF after an escape character
	                                    let start = this.document.positionAt(offset + i);
	                                    variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, start.line) !== undefined, this.isBuildVariable(escapedName, start.line), '$' + escapedName));
	                                    break variableLoop;
	                            }
	                            if (char.match(/^[a-z0-9_]+$/i) === null) {
	                                let varStart = this.document.positionAt(offset + i);
	                                variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(varStart, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, varStart.line) !== undefined, this.isBuildVariable(escapedName, varStart.line), '$' + escapedName));
	                                i = j - 1;
	                                continue variableLoop;
	                            }
	                            escapedName += char;
	                        }
	                        let start = this.document.positionAt(offset + i);
	                        variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i + 1), this.document.positionAt(offset + arg.length)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + arg.length)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, start.line) !== undefined, this.isBuildVariable(escapedName, start.line), '$' + escapedName));
	                    }
	                    break variableLoop;
	            }
	        }
	        return variables;
	    }
	    isBuildVariable(variable, line) {
	        if (this.getKeyword() === main_1.Keyword.FROM) {
	            for (const initialArg of this.dockerfile.getInitialARGs()) {
	                const arg = initialArg;
	                const property = arg.getProperty();
	                if (property && variable === property.getName()) {
	                    return true;
	                }
	            }
	            return undefined;
	        }
	        let image = this.dockerfile.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
	        let envs = image.getENVs();
	        for (let i = envs.length - 1; i >= 0; i--) {
	            if (envs[i].isBefore(line)) {
	                for (let property of envs[i].getProperties()) {
	                    if (property.getName() === variable) {
	                        return false;
	                    }
	                }
	            }
	        }
	        let args = image.getARGs();
	        for (let i = args.length - 1; i >= 0; i--) {
	            if (args[i].isBefore(line)) {
	                let property = args[i].getProperty();
	                if (property && property.getName() === variable) {
	                    return true;
	                }
	            }
	        }
	        return undefined;
	    }
	    createSingleLineHeredocs(args) {
	        const heredocs = [];
	        // instruction only on one line, if heredocs exist they would be incomplete
	        for (const arg of args) {
	            const value = arg.getValue();
	            if (value.startsWith("<<") && util_1.Util.parseHeredocName(value) !== null) {
	                const startRange = arg.getRange();
	                const nameRange = this.getNameRange(startRange);
	                const name = this.getName(nameRange);
	                heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, null, null));
	            }
	        }
	        return heredocs;
	    }
	    getName(nameRange) {
	        const content = this.document.getText(nameRange);
	        let escaping = false;
	        let name = "";
	        nameLoop: for (let i = 0; i < content.length; i++) {
	            const ch = content.charAt(i);
	            switch (ch) {
	                case this.escapeChar:
	                    escaping = true;
	                    for (let j = i + 1; j < content.length; j++) {
	                        switch (content.charAt(j)) {
	                            case ' ':
	                            case '\t':
	                                break;
	                            case '\r':
	                                i = j + 1;
	                                continue nameLoop;
	                            case '\n':
	                                i = j;
	                                continue nameLoop;
	                            default:
	                                name += content.charAt(j);
	                                i = j;
	                                continue nameLoop;
	                        }
	                    }
	                    break;
	                case '#':
	                    if (escaping) {
	                        for (let j = i + 1; j < content.length; j++) {
	                            switch (content.charAt(j)) {
	                                case '\n':
	                                    i = j;
	                                    continue nameLoop;
	                            }
	                        }
	                    }
	                case ' ':
	                case '\t':
	                case '\r':
	                case '\n':
	                    if (escaping) {
	                        break;
	                    }
	                default:
	                    name += ch;
	                    break;
	            }
	        }
	        return name;
	    }
	    getNameRange(startRange) {
	        const content = this.document.getText(startRange);
	        let endFound = false;
	        let searchHyphen = false;
	        let start = -1;
	        let end = -1;
	        let escaping = false;
	        let quote = null;
	        contentLoop: for (let i = 0; i < content.length; i++) {
	            const ch = content.charAt(i);
	            switch (ch) {
	                case '"':
	                case '\'':
	                    if (quote === ch) {
	                        break contentLoop;
	                    }
	                    quote = ch;
	                    continue;
	                case this.escapeChar:
	                    for (let j = i + 1; j < content.length; j++) {
	                        switch (content.charAt(j)) {
	                            case '\n':
	                                escaping = true;
	                                j = i;
	                                continue contentLoop;
	                        }
	                    }
	                    break;
	                case ' ':
	                case '\t':
	                case '\r':
	                case '\n':
	                    break;
	                case '<':
	                    if (endFound) {
	                        searchHyphen = true;
	                    }
	                    else {
	                        endFound = true;
	                    }
	                    break;
	                case '-':
	                    if (searchHyphen) {
	                        searchHyphen = false;
	                        break;
	                    }
	                case '#':
	                    if (escaping) {
	                        for (let j = i + 1; j < content.length; j++) {
	                            switch (content.charAt(j)) {
	                                case '\n':
	                                    i = j;
	                                    continue contentLoop;
	                            }
	                        }
	                    }
	                default:
	                    if (start === -1) {
	                        start = i;
	                    }
	                    if (quote !== null) {
	                        end = i + 1;
	                        break;
	                    }
	                    break contentLoop;
	            }
	        }
	        if (start === -1) {
	            return vscode_languageserver_types_1.Range.create(startRange.end, startRange.end);
	        }
	        const nameStart = this.document.positionAt(this.document.offsetAt(startRange.start) + start);
	        const nameEnd = quote !== null ? this.document.positionAt(this.document.offsetAt(startRange.start) + end) : startRange.end;
	        return vscode_languageserver_types_1.Range.create(nameStart, nameEnd);
	    }
	    getHeredocs() {
	        const args = this.getArguments();
	        if (args.length === 0) {
	            return [];
	        }
	        const heredocs = [];
	        const range = this.getRange();
	        if (range.start.line === range.end.line) {
	            // instruction only on one line, if heredocs exist they would be incomplete
	            return this.createSingleLineHeredocs(args);
	        }
	        const heredocDefinitions = [];
	        let heredocsProcessed = false;
	        let escaping = false;
	        let contentStart = -1;
	        let contentEnd = -1;
	        let lineStart = -1;
	        let currentHeredoc = 0;
	        const startOffset = this.document.offsetAt(args[0].getRange().start);
	        const content = this.getRangeContent(vscode_languageserver_types_1.Range.create(args[0].getRange().start, this.getRange().end));
	        contentLoop: for (let i = 0; i < content.length; i++) {
	            switch (content.charAt(i)) {
	                case this.escapeChar:
	                    escaping = true;
	                    for (let j = i + 1; j < content.length; j++) {
	                        switch (content.charAt(j)) {
	                            case ' ':
	                            case '\t':
	                                break;
	                            case '\r':
	                                j++;
	                            case '\n':
	                                i = j;
	                                continue contentLoop;
	                            default:
	                                i = j;
	                                continue contentLoop;
	                        }
	                    }
	                    break;
	                case '\r':
	                    break;
	                case '\n':
	                    if (escaping) {
	                        break;
	                    }
	                    if (heredocsProcessed) {
	                        if (contentStart === -1) {
	                            contentStart = i;
	                        }
	                        contentEnd = i;
	                        const arg = heredocDefinitions[currentHeredoc];
	                        const startRange = arg.getRange();
	                        const nameRange = this.getNameRange(startRange);
	                        const name = this.getName(nameRange);
	                        const delimiterRange = this.getDelimiterRange(arg, name, vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + lineStart), this.document.positionAt(startOffset + i)));
	                        if (delimiterRange !== null) {
	                            const contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), this.document.positionAt(startOffset + lineStart - 1));
	                            heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, contentRange, delimiterRange));
	                            contentStart = -1;
	                            currentHeredoc++;
	                        }
	                        lineStart = -1;
	                    }
	                    else {
	                        // found a newline that hasn't been escaped,
	                        // must be in a heredoc
	                        const offsetLimit = startOffset + i;
	                        for (const arg of args) {
	                            // check if this argument is on the initial line of the instruction,
	                            // note that it may not all be on the same line due to escaped newlines,
	                            // because of that we need to use offset checks instead of line checks
	                            // as an argument being on a different line in the document does not
	                            // imply it is on a different line from the Dockerfile's point of view
	                            if (this.document.offsetAt(arg.getRange().start) < offsetLimit) {
	                                if (arg.getValue().startsWith("<<")) {
	                                    heredocDefinitions.push(arg);
	                                }
	                            }
	                            else {
	                                break;
	                            }
	                        }
	                        heredocsProcessed = true;
	                        lineStart = -1;
	                        continue contentLoop;
	                    }
	                    break;
	                case ' ':
	                case '\t':
	                    if (escaping) {
	                        break;
	                    }
	                case '#':
	                    if (escaping) {
	                        for (let j = i + 1; j < content.length; j++) {
	                            switch (content.charAt(j)) {
	                                case '\n':
	                                    i = j;
	                                    continue contentLoop;
	                            }
	                        }
	                    }
	                default:
	                    if (escaping) {
	                        escaping = false;
	                    }
	                    if (heredocsProcessed) {
	                        if (contentStart === -1) {
	                            contentStart = i;
	                        }
	                        if (lineStart === -1) {
	                            lineStart = i;
	                        }
	                    }
	                    break;
	            }
	        }
	        if (heredocsProcessed) {
	            const arg = heredocDefinitions[currentHeredoc];
	            const startRange = arg.getRange();
	            const nameRange = this.getNameRange(startRange);
	            const name = this.getName(nameRange);
	            let contentRange = null;
	            // check if the last line of this instruction matches the name of the last heredoc
	            const delimiterRange = this.getDelimiterRange(arg, name, vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + lineStart), range.end));
	            if (delimiterRange === null) {
	                contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), range.end);
	            }
	            else if (contentEnd !== -1) {
	                contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), this.document.positionAt(startOffset + contentEnd));
	            }
	            heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, contentRange, delimiterRange));
	            currentHeredoc++;
	            for (let i = currentHeredoc; i < heredocDefinitions.length; i++) {
	                const arg = heredocDefinitions[currentHeredoc];
	                const startRange = arg.getRange();
	                const nameRange = this.getNameRange(startRange);
	                const name = this.getName(nameRange);
	                heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, null, null));
	                currentHeredoc++;
	            }
	        }
	        else {
	            // instruction only on one line, if heredocs exist they would be incomplete
	            return this.createSingleLineHeredocs(args);
	        }
	        return heredocs;
	    }
	    getDelimiterRange(startArg, name, candidateRange) {
	        const text = this.document.getText(candidateRange);
	        if (startArg.getValue().startsWith("<<-")) {
	            // remove tabs in the front
	            let index = 0;
	            while (text.charAt(index) === '\t') {
	                index++;
	            }
	            if (text.substring(index) === name) {
	                return vscode_languageserver_types_1.Range.create(vscode_languageserver_types_1.Position.create(candidateRange.start.line, index), candidateRange.end);
	            }
	            return null;
	        }
	        return text === name ? candidateRange : null;
	    }
	}
	instruction.Instruction = Instruction;
	return instruction;
}

var add = {};

var jsonInstruction = {};

var modifiableInstruction = {};

var flag = {};

var flagOption = {};

var hasRequiredFlagOption;

function requireFlagOption () {
	if (hasRequiredFlagOption) return flagOption;
	hasRequiredFlagOption = 1;
	Object.defineProperty(flagOption, "__esModule", { value: true });
	flagOption.FlagOption = void 0;
	class FlagOption {
	    constructor(range, name, nameRange, value, valueRange) {
	        this.range = range;
	        this.name = name;
	        this.nameRange = nameRange;
	        this.value = value;
	        this.valueRange = valueRange;
	    }
	    toString() {
	        if (this.valueRange !== null) {
	            return this.name + "=" + this.value;
	        }
	        return this.name;
	    }
	    getRange() {
	        return this.range;
	    }
	    getName() {
	        return this.name;
	    }
	    getNameRange() {
	        return this.nameRange;
	    }
	    getValue() {
	        return this.value;
	    }
	    getValueRange() {
	        return this.valueRange;
	    }
	}
	flagOption.FlagOption = FlagOption;
	return flagOption;
}

var hasRequiredFlag;

function requireFlag () {
	if (hasRequiredFlag) return flag;
	hasRequiredFlag = 1;
	Object.defineProperty(flag, "__esModule", { value: true });
	flag.Flag = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const flagOption_1 = requireFlagOption();
	class Flag {
	    constructor(document, range, name, nameRange, value, valueRange) {
	        this.options = [];
	        this.range = range;
	        this.name = name;
	        this.nameRange = nameRange;
	        this.value = value;
	        this.valueRange = valueRange;
	        if (this.value !== null) {
	            let offset = document.offsetAt(valueRange.start);
	            let nameStart = -1;
	            let valueStart = -1;
	            let hasOptions = false;
	            for (let i = 0; i < value.length; i++) {
	                switch (value.charAt(i)) {
	                    case '=':
	                        hasOptions = true;
	                        if (valueStart === -1) {
	                            valueStart = i + 1;
	                            break;
	                        }
	                        break;
	                    case ',':
	                        this.options.push(this.createFlagOption(document, value, offset, nameStart, valueStart, i));
	                        nameStart = -1;
	                        valueStart = -1;
	                        break;
	                    default:
	                        if (nameStart === -1) {
	                            nameStart = i;
	                        }
	                        break;
	                }
	            }
	            if (hasOptions && nameStart !== -1) {
	                this.options.push(this.createFlagOption(document, value, offset, nameStart, valueStart, value.length));
	            }
	        }
	    }
	    createFlagOption(document, content, documentOffset, nameStart, valueStart, valueEnd) {
	        const optionRange = vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + nameStart), document.positionAt(documentOffset + valueEnd));
	        if (valueStart === -1) {
	            return new flagOption_1.FlagOption(optionRange, content.substring(nameStart, valueEnd), optionRange, null, null);
	        }
	        return new flagOption_1.FlagOption(optionRange, content.substring(nameStart, valueStart - 1), vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + nameStart), document.positionAt(documentOffset + valueStart - 1)), content.substring(valueStart, valueEnd), vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + valueStart), document.positionAt(documentOffset + valueEnd)));
	    }
	    toString() {
	        if (this.valueRange) {
	            return "--" + this.name + "=" + this.value;
	        }
	        return "--" + this.name;
	    }
	    /**
	     * Returns the range that encompasses this entire flag. This includes the
	     * -- prefix in the beginning to the last character of the flag's value (if
	     * it has been defined).
	     *
	     * @return the entire range of this flag
	     */
	    getRange() {
	        return this.range;
	    }
	    /**
	     * Returns the name of this flag. The name does not include the -- prefix.
	     * Thus, for HEALTHCHECK's --interval flag, interval is the flag's name and
	     * not --interval.
	     *
	     * @return this flag's name
	     */
	    getName() {
	        return this.name;
	    }
	    /**
	     * Returns the range that encompasses the flag's name
	     *
	     * @return the range containing the flag's name
	     */
	    getNameRange() {
	        return this.nameRange;
	    }
	    /**
	     * Returns the value that has been set to this flag. May be null if the
	     * flag is invalid and has no value set like a --start-period. If the flag
	     * is instead a --start-period= with an equals sign then the flag's value
	     * is the empty string.
	     *
	     * @return this flag's value if it has been defined, null otherwise
	     */
	    getValue() {
	        return this.value;
	    }
	    /**
	     * Returns the range that encompasses this flag's value. If no value has
	     * been set then null will be returned.
	     *
	     * @return the range containing this flag's value, or null if the flag
	     *         has no value defined
	     */
	    getValueRange() {
	        return this.valueRange;
	    }
	    getOption(name) {
	        for (const option of this.options) {
	            if (option.getName() === name) {
	                return option;
	            }
	        }
	        return null;
	    }
	    getOptions() {
	        return this.options;
	    }
	    hasOptions() {
	        return this.options.length > 0;
	    }
	}
	flag.Flag = Flag;
	return flag;
}

var hasRequiredModifiableInstruction;

function requireModifiableInstruction () {
	if (hasRequiredModifiableInstruction) return modifiableInstruction;
	hasRequiredModifiableInstruction = 1;
	Object.defineProperty(modifiableInstruction, "__esModule", { value: true });
	modifiableInstruction.ModifiableInstruction = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const flag_1 = requireFlag();
	const instruction_1 = requireInstruction();
	class ModifiableInstruction extends instruction_1.Instruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    getFlags() {
	        if (!this.flags) {
	            this.flags = [];
	            for (let arg of this.getArguments()) {
	                let value = arg.getValue();
	                if (this.stopSearchingForFlags(value)) {
	                    return this.flags;
	                }
	                else if (value.indexOf("--") === 0) {
	                    let range = arg.getRange();
	                    let rawValue = this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
	                    let nameIndex = value.indexOf('=');
	                    let index = rawValue.indexOf('=');
	                    let firstMatch = false;
	                    let secondMatch = false;
	                    let startIndex = -1;
	                    nameSearchLoop: for (let i = 0; i < rawValue.length; i++) {
	                        switch (rawValue.charAt(i)) {
	                            case '\\':
	                            case ' ':
	                            case '\t':
	                            case '\r':
	                            case '\n':
	                                break;
	                            case '-':
	                                if (secondMatch) {
	                                    startIndex = i;
	                                    break nameSearchLoop;
	                                }
	                                else if (firstMatch) {
	                                    secondMatch = true;
	                                }
	                                else {
	                                    firstMatch = true;
	                                }
	                                break;
	                            default:
	                                startIndex = i;
	                                break nameSearchLoop;
	                        }
	                    }
	                    let nameStart = this.document.positionAt(this.document.offsetAt(range.start) + startIndex);
	                    if (index === -1) {
	                        this.flags.push(new flag_1.Flag(this.document, range, value.substring(2), vscode_languageserver_types_1.Range.create(nameStart, range.end), null, null));
	                    }
	                    else if (index === value.length - 1) {
	                        let nameEnd = this.document.positionAt(this.document.offsetAt(range.start) + index);
	                        this.flags.push(new flag_1.Flag(this.document, range, value.substring(2, index), vscode_languageserver_types_1.Range.create(nameStart, nameEnd), "", vscode_languageserver_types_1.Range.create(range.end, range.end)));
	                    }
	                    else {
	                        let nameEnd = this.document.positionAt(this.document.offsetAt(range.start) + index);
	                        this.flags.push(new flag_1.Flag(this.document, range, value.substring(2, nameIndex), vscode_languageserver_types_1.Range.create(nameStart, nameEnd), value.substring(nameIndex + 1), vscode_languageserver_types_1.Range.create(this.document.positionAt(this.document.offsetAt(range.start) + index + 1), range.end)));
	                    }
	                }
	            }
	        }
	        return this.flags;
	    }
	    getArguments() {
	        const args = super.getArguments();
	        const flags = this.getFlags();
	        if (flags.length === 0) {
	            return args;
	        }
	        for (let i = 0; i < flags.length; i++) {
	            args.shift();
	        }
	        return args;
	    }
	}
	modifiableInstruction.ModifiableInstruction = ModifiableInstruction;
	return modifiableInstruction;
}

var hasRequiredJsonInstruction;

function requireJsonInstruction () {
	if (hasRequiredJsonInstruction) return jsonInstruction;
	hasRequiredJsonInstruction = 1;
	Object.defineProperty(jsonInstruction, "__esModule", { value: true });
	jsonInstruction.JSONInstruction = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const argument_1 = requireArgument();
	const jsonArgument_1 = requireJsonArgument();
	const modifiableInstruction_1 = requireModifiableInstruction();
	class JSONInstruction extends modifiableInstruction_1.ModifiableInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	        this.openingBracket = null;
	        this.closingBracket = null;
	        this.jsonStrings = [];
	        const argsContent = this.getRawArgumentsContent();
	        if (argsContent === null) {
	            return;
	        }
	        const args = this.getArguments();
	        if (args.length === 1 && args[0].getValue() === "[]") {
	            let argRange = args[0].getRange();
	            this.openingBracket = new argument_1.Argument("[", vscode_languageserver_types_1.Range.create(argRange.start.line, argRange.start.character, argRange.start.line, argRange.start.character + 1));
	            this.closingBracket = new argument_1.Argument("]", vscode_languageserver_types_1.Range.create(argRange.start.line, argRange.start.character + 1, argRange.end.line, argRange.end.character));
	            return;
	        }
	        else if (args.length === 2 && args[0].getValue() === '[' && args[1].getValue() === ']') {
	            this.openingBracket = args[0];
	            this.closingBracket = args[1];
	            return;
	        }
	        const argsOffset = document.offsetAt(this.getArgumentsRange().start);
	        let start = -1;
	        let last = "";
	        let quoted = false;
	        let escapedArg = "";
	        argsCheck: for (let i = 0; i < argsContent.length; i++) {
	            let char = argsContent.charAt(i);
	            switch (char) {
	                case '[':
	                    if (last === "") {
	                        this.openingBracket = new argument_1.Argument("[", vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + i), document.positionAt(argsOffset + i + 1)));
	                        last = '[';
	                    }
	                    else if (quoted) {
	                        escapedArg = escapedArg + char;
	                    }
	                    else {
	                        break argsCheck;
	                    }
	                    break;
	                case '"':
	                    if (last === '[' || last === ',') {
	                        start = i;
	                        quoted = true;
	                        last = '"';
	                        escapedArg = escapedArg + char;
	                        continue;
	                    }
	                    else if (last === '"') {
	                        if (quoted) {
	                            escapedArg = escapedArg + char;
	                            // quoted string done
	                            quoted = false;
	                            this.jsonStrings.push(new jsonArgument_1.JSONArgument(escapedArg, vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + start), document.positionAt(argsOffset + i + 1)), vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + start + 1), document.positionAt(argsOffset + i))));
	                            escapedArg = "";
	                        }
	                        else {
	                            // should be a , or a ]
	                            break argsCheck;
	                        }
	                    }
	                    else {
	                        break argsCheck;
	                    }
	                    break;
	                case ',':
	                    if (quoted) {
	                        escapedArg = escapedArg + char;
	                    }
	                    else {
	                        if (last === '"') {
	                            last = ',';
	                        }
	                        else {
	                            break argsCheck;
	                        }
	                    }
	                    break;
	                case ']':
	                    if (quoted) {
	                        escapedArg = escapedArg + char;
	                    }
	                    else if (last !== "") {
	                        this.closingBracket = new argument_1.Argument("]", vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + i), document.positionAt(argsOffset + i + 1)));
	                        break argsCheck;
	                    }
	                    break;
	                case ' ':
	                case '\t':
	                    break;
	                case '\\':
	                    if (quoted) {
	                        switch (argsContent.charAt(i + 1)) {
	                            case '"':
	                            case '\\':
	                                escapedArg = escapedArg + argsContent.charAt(i + 1);
	                                i++;
	                                continue;
	                            case ' ':
	                            case '\t':
	                                escapeCheck: for (let j = i + 2; j < argsContent.length; j++) {
	                                    switch (argsContent.charAt(j)) {
	                                        case '\r':
	                                            // offset one more for \r\n
	                                            j++;
	                                        case '\n':
	                                            i = j;
	                                            continue argsCheck;
	                                        case ' ':
	                                        case '\t':
	                                            break;
	                                        default:
	                                            break escapeCheck;
	                                    }
	                                }
	                                break;
	                            case '\r':
	                                // offset one more for \r\n
	                                i++;
	                            default:
	                                i++;
	                                continue;
	                        }
	                    }
	                    else {
	                        escapeCheck: for (let j = i + 1; j < argsContent.length; j++) {
	                            switch (argsContent.charAt(j)) {
	                                case '\r':
	                                    // offset one more for \r\n
	                                    j++;
	                                case '\n':
	                                    i = j;
	                                    continue argsCheck;
	                                case ' ':
	                                case '\t':
	                                    break;
	                                default:
	                                    break escapeCheck;
	                            }
	                        }
	                    }
	                    break argsCheck;
	                default:
	                    if (!quoted) {
	                        break argsCheck;
	                    }
	                    escapedArg = escapedArg + char;
	                    break;
	            }
	        }
	    }
	    stopSearchingForFlags(_value) {
	        return true;
	    }
	    getOpeningBracket() {
	        return this.openingBracket;
	    }
	    getJSONStrings() {
	        return this.jsonStrings;
	    }
	    getClosingBracket() {
	        return this.closingBracket;
	    }
	}
	jsonInstruction.JSONInstruction = JSONInstruction;
	return jsonInstruction;
}

var hasRequiredAdd;

function requireAdd () {
	if (hasRequiredAdd) return add;
	hasRequiredAdd = 1;
	Object.defineProperty(add, "__esModule", { value: true });
	add.Add = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Add extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    stopSearchingForFlags(argument) {
	        return argument.indexOf("--") === -1;
	    }
	}
	add.Add = Add;
	return add;
}

var arg = {};

var property = {};

var hasRequiredProperty;

function requireProperty () {
	if (hasRequiredProperty) return property;
	hasRequiredProperty = 1;
	Object.defineProperty(property, "__esModule", { value: true });
	property.Property = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const util_1 = requireUtil();
	class Property {
	    constructor(document, escapeChar, arg, arg2) {
	        this.assignmentOperatorRange = null;
	        this.assignmentOperator = null;
	        this.valueRange = null;
	        this.value = null;
	        this.document = document;
	        this.escapeChar = escapeChar;
	        this.nameRange = Property.getNameRange(document, arg);
	        let value = document.getText().substring(document.offsetAt(this.nameRange.start), document.offsetAt(this.nameRange.end));
	        this.name = Property.getValue(value, escapeChar);
	        if (arg2) {
	            this.valueRange = arg2.getRange();
	            value = document.getText().substring(document.offsetAt(this.valueRange.start), document.offsetAt(this.valueRange.end));
	            this.value = Property.getValue(value, escapeChar);
	            this.range = vscode_languageserver_types_1.Range.create(this.nameRange.start, this.valueRange.end);
	        }
	        else {
	            let argRange = arg.getRange();
	            if (this.nameRange.start.line === argRange.start.line
	                && this.nameRange.start.character === argRange.start.character
	                && this.nameRange.end.line === argRange.end.line
	                && this.nameRange.end.character === argRange.end.character) ;
	            else {
	                this.valueRange = Property.getValueRange(document, arg);
	                value = document.getText().substring(document.offsetAt(this.valueRange.start), document.offsetAt(this.valueRange.end));
	                this.value = Property.getValue(value, escapeChar);
	                this.assignmentOperatorRange = vscode_languageserver_types_1.Range.create(this.nameRange.end, this.valueRange.start);
	                this.assignmentOperator = "=";
	            }
	            this.range = argRange;
	        }
	    }
	    getRange() {
	        return this.range;
	    }
	    getName() {
	        return this.name;
	    }
	    getNameRange() {
	        return this.nameRange;
	    }
	    getValue() {
	        return this.value;
	    }
	    getValueRange() {
	        return this.valueRange;
	    }
	    /**
	     * Retrieves the operator used for delimiting between the name and
	     * value of this property. This will either be the "=" character
	     * or null if a character was not used or if this property has no
	     * value defined.
	     */
	    getAssignmentOperator() {
	        return this.assignmentOperator;
	    }
	    getAssignmentOperatorRange() {
	        return this.assignmentOperatorRange;
	    }
	    /**
	     * Returns the value of this property including any enclosing
	     * single or double quotes and relevant escape characters.
	     * Escaped newlines and its associated contiguous whitespace
	     * characters however will not be returned as they are deemed to
	     * be uninteresting to clients trying to return a Dockerfile.
	     *
	     * @return the unescaped value of this property or null if this
	     *         property has no associated value
	     */
	    getUnescapedValue() {
	        if (this.valueRange === null) {
	            return null;
	        }
	        let escaped = false;
	        let rawValue = "";
	        let value = this.document.getText().substring(this.document.offsetAt(this.valueRange.start), this.document.offsetAt(this.valueRange.end));
	        rawLoop: for (let i = 0; i < value.length; i++) {
	            let char = value.charAt(i);
	            switch (char) {
	                case this.escapeChar:
	                    for (let j = i + 1; j < value.length; j++) {
	                        switch (value.charAt(j)) {
	                            case '\r':
	                                j++;
	                            case '\n':
	                                escaped = true;
	                                i = j;
	                                continue rawLoop;
	                            case ' ':
	                            case '\t':
	                                break;
	                            default:
	                                rawValue = rawValue + char;
	                                continue rawLoop;
	                        }
	                    }
	                    // this happens if there's only whitespace after the escape character
	                    rawValue = rawValue + char;
	                    break;
	                case '\r':
	                case '\n':
	                    break;
	                case ' ':
	                case '\t':
	                    if (!escaped) {
	                        rawValue = rawValue + char;
	                    }
	                    break;
	                case '#':
	                    if (escaped) {
	                        for (let j = i + 1; j < value.length; j++) {
	                            switch (value.charAt(j)) {
	                                case '\r':
	                                    j++;
	                                case '\n':
	                                    i = j;
	                                    continue rawLoop;
	                            }
	                        }
	                    }
	                    else {
	                        rawValue = rawValue + char;
	                    }
	                    break;
	                default:
	                    rawValue = rawValue + char;
	                    escaped = false;
	                    break;
	            }
	        }
	        return rawValue;
	    }
	    static getNameRange(document, arg) {
	        let value = arg.getValue();
	        let index = value.indexOf('=');
	        if (index !== -1) {
	            let initial = value.charAt(0);
	            let before = value.charAt(index - 1);
	            // check if content before the equals sign are in quotes
	            // "var"=value
	            // 'var'=value
	            // otherwise, just assume it's a standard definition
	            // var=value
	            if ((initial === '"' && before === '"') || (initial === '\'' && before === '\'') || (initial !== '"' && initial !== '\'')) {
	                return vscode_languageserver_types_1.Range.create(arg.getRange().start, document.positionAt(document.offsetAt(arg.getRange().start) + index));
	            }
	        }
	        // no '=' found, just defined the property's name
	        return arg.getRange();
	    }
	    static getValueRange(document, arg) {
	        return vscode_languageserver_types_1.Range.create(document.positionAt(document.offsetAt(arg.getRange().start) + arg.getValue().indexOf('=') + 1), document.positionAt(document.offsetAt(arg.getRange().end)));
	    }
	    /**
	     * Returns the actual value of this key-value pair. The value will
	     * have its escape characters removed if applicable. If the value
	     * spans multiple lines and there are comments nested within the
	     * lines, they too will be removed.
	     *
	     * @return the value that this key-value pair will actually be, may
	     *         be null if no value is defined, may be the empty string
	     *         if the value only consists of whitespace
	     */
	    static getValue(value, escapeChar) {
	        let escaped = false;
	        const skip = util_1.Util.findLeadingNonWhitespace(value, escapeChar);
	        if (skip !== 0 && value.charAt(skip) === '#') {
	            // need to skip over comments
	            escaped = true;
	        }
	        value = value.substring(skip);
	        let first = value.charAt(0);
	        let last = value.charAt(value.length - 1);
	        let literal = first === '\'' || first === '"';
	        let inSingle = (first === '\'' && last === '\'');
	        let inDouble = false;
	        if (first === '"') {
	            for (let i = 1; i < value.length; i++) {
	                if (value.charAt(i) === escapeChar) {
	                    i++;
	                }
	                else if (value.charAt(i) === '"' && i === value.length - 1) {
	                    inDouble = true;
	                }
	            }
	        }
	        if (inSingle || inDouble) {
	            value = value.substring(1, value.length - 1);
	        }
	        let commentCheck = -1;
	        let escapedValue = "";
	        parseValue: for (let i = 0; i < value.length; i++) {
	            let char = value.charAt(i);
	            switch (char) {
	                case escapeChar:
	                    if (i + 1 === value.length) {
	                        escapedValue = escapedValue + escapeChar;
	                        break parseValue;
	                    }
	                    char = value.charAt(i + 1);
	                    if (char === ' ' || char === '\t') {
	                        whitespaceCheck: for (let j = i + 2; j < value.length; j++) {
	                            let char2 = value.charAt(j);
	                            switch (char2) {
	                                case ' ':
	                                case '\t':
	                                    break;
	                                case '\r':
	                                    j++;
	                                case '\n':
	                                    escaped = true;
	                                    i = j;
	                                    continue parseValue;
	                                default:
	                                    if (!inDouble && !inSingle && !literal) {
	                                        if (char2 === escapeChar) {
	                                            // add the escaped character
	                                            escapedValue = escapedValue + char;
	                                            // now start parsing from the next escape character
	                                            i = i + 1;
	                                        }
	                                        else {
	                                            // the expectation is that this j = i + 2 here
	                                            escapedValue = escapedValue + char + char2;
	                                            i = j;
	                                        }
	                                        continue parseValue;
	                                    }
	                                    break whitespaceCheck;
	                            }
	                        }
	                    }
	                    if (inDouble) {
	                        if (char === '\r') {
	                            escaped = true;
	                            i = i + 2;
	                        }
	                        else if (char === '\n') {
	                            escaped = true;
	                            i++;
	                        }
	                        else if (char !== '"') {
	                            if (char === escapeChar) {
	                                i++;
	                            }
	                            escapedValue = escapedValue + escapeChar;
	                        }
	                        continue parseValue;
	                    }
	                    else if (inSingle || literal) {
	                        if (char === '\r') {
	                            escaped = true;
	                            i = i + 2;
	                        }
	                        else if (char === '\n') {
	                            escaped = true;
	                            i++;
	                        }
	                        else {
	                            escapedValue = escapedValue + escapeChar;
	                        }
	                        continue parseValue;
	                    }
	                    else if (char === escapeChar) {
	                        // double escape, append one and move on
	                        escapedValue = escapedValue + escapeChar;
	                        i++;
	                    }
	                    else if (char === '\r') {
	                        escaped = true;
	                        // offset one more for \r\n
	                        i = i + 2;
	                    }
	                    else if (char === '\n') {
	                        escaped = true;
	                        i++;
	                    }
	                    else {
	                        // any other escapes are simply ignored
	                        escapedValue = escapedValue + char;
	                        i++;
	                    }
	                    break;
	                case ' ':
	                case '\t':
	                    if (escaped && commentCheck === -1) {
	                        commentCheck = i;
	                    }
	                    escapedValue = escapedValue + char;
	                    break;
	                case '\r':
	                    i++;
	                case '\n':
	                    if (escaped && commentCheck !== -1) {
	                        // rollback and remove the whitespace that was previously appended
	                        escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck - 1));
	                        commentCheck = -1;
	                    }
	                    break;
	                case '#':
	                    // a newline was escaped and now there's a comment
	                    if (escaped) {
	                        if (commentCheck !== -1) {
	                            // rollback and remove the whitespace that was previously appended
	                            escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck));
	                            commentCheck = -1;
	                        }
	                        newlineCheck: for (let j = i + 1; j < value.length; j++) {
	                            switch (value.charAt(j)) {
	                                case '\r':
	                                    j++;
	                                case '\n':
	                                    i = j;
	                                    break newlineCheck;
	                            }
	                        }
	                        continue parseValue;
	                    }
	                default:
	                    if (escaped) {
	                        escaped = false;
	                        commentCheck = -1;
	                    }
	                    escapedValue = escapedValue + char;
	                    break;
	            }
	        }
	        return escapedValue;
	    }
	}
	property.Property = Property;
	return property;
}

var propertyInstruction = {};

var hasRequiredPropertyInstruction;

function requirePropertyInstruction () {
	if (hasRequiredPropertyInstruction) return propertyInstruction;
	hasRequiredPropertyInstruction = 1;
	Object.defineProperty(propertyInstruction, "__esModule", { value: true });
	propertyInstruction.PropertyInstruction = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const instruction_1 = requireInstruction();
	const property_1 = requireProperty();
	const argument_1 = requireArgument();
	const util_1 = requireUtil();
	class PropertyInstruction extends instruction_1.Instruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	        this.properties = undefined;
	    }
	    getProperties() {
	        if (this.properties === undefined) {
	            let args = this.getPropertyArguments();
	            if (args.length === 0) {
	                this.properties = [];
	            }
	            else if (args.length === 1) {
	                this.properties = [new property_1.Property(this.document, this.escapeChar, args[0])];
	            }
	            else if (args.length === 2) {
	                if (args[0].getValue().indexOf('=') === -1) {
	                    this.properties = [new property_1.Property(this.document, this.escapeChar, args[0], args[1])];
	                }
	                else {
	                    this.properties = [
	                        new property_1.Property(this.document, this.escapeChar, args[0]),
	                        new property_1.Property(this.document, this.escapeChar, args[1])
	                    ];
	                }
	            }
	            else if (args[0].getValue().indexOf('=') === -1) {
	                let text = this.document.getText();
	                let start = args[1].getRange().start;
	                let end = args[args.length - 1].getRange().end;
	                text = text.substring(this.document.offsetAt(start), this.document.offsetAt(end));
	                this.properties = [new property_1.Property(this.document, this.escapeChar, args[0], new argument_1.Argument(text, vscode_languageserver_types_1.Range.create(args[1].getRange().start, args[args.length - 1].getRange().end)))];
	            }
	            else {
	                this.properties = [];
	                for (let i = 0; i < args.length; i++) {
	                    this.properties.push(new property_1.Property(this.document, this.escapeChar, args[i]));
	                }
	            }
	        }
	        return this.properties;
	    }
	    /**
	     * Goes from the back of the string and returns the first
	     * non-whitespace character that is found. If an escape character
	     * is found with newline characters, the escape character will
	     * not be considered a non-whitespace character and its index in
	     * the string will not be returned.
	     *
	     * @param content the string to search through
	     * @return the index in the string for the first non-whitespace
	     *         character when searching from the end of the string
	     */
	    findTrailingNonWhitespace(content) {
	        // loop back to find the first non-whitespace character
	        let index = content.length;
	        whitespaceCheck: for (let i = content.length - 1; i >= 0; i--) {
	            switch (content.charAt(i)) {
	                case ' ':
	                case '\t':
	                    continue;
	                case '\n':
	                    if (content.charAt(i - 1) === '\r') {
	                        i = i - 1;
	                    }
	                case '\r':
	                    newlineCheck: for (let j = i - 1; j >= 0; j--) {
	                        switch (content.charAt(j)) {
	                            case ' ':
	                            case '\t':
	                            case '\r':
	                            case '\n':
	                            case this.escapeChar:
	                                continue;
	                            default:
	                                index = j;
	                                break newlineCheck;
	                        }
	                    }
	                    break whitespaceCheck;
	                default:
	                    index = i;
	                    break whitespaceCheck;
	            }
	        }
	        return index;
	    }
	    getPropertyArguments() {
	        const args = [];
	        let range = this.getInstructionRange();
	        let instructionNameEndOffset = this.document.offsetAt(range.end);
	        let extra = instructionNameEndOffset - this.document.offsetAt(range.start);
	        let content = this.getTextContent();
	        let fullArgs = content.substring(extra);
	        let start = util_1.Util.findLeadingNonWhitespace(fullArgs, this.escapeChar);
	        if (start === -1) {
	            // only whitespace found, no arguments
	            return [];
	        }
	        const startPosition = this.document.positionAt(instructionNameEndOffset + start);
	        // records whether the parser has just processed an escaped newline or not,
	        // if our starting position is not on the same line as the instruction then
	        // the start of the content is already on an escaped line
	        let escaped = range.start.line !== startPosition.line;
	        // flag to track if the last character was an escape character
	        let endingEscape = false;
	        // position before the first escape character was hit
	        let mark = -1;
	        let end = this.findTrailingNonWhitespace(fullArgs);
	        content = fullArgs.substring(start, end + 1);
	        let argStart = escaped ? -1 : 0;
	        let spaced = false;
	        argumentLoop: for (let i = 0; i < content.length; i++) {
	            let char = content.charAt(i);
	            switch (char) {
	                case this.escapeChar:
	                    if (i + 1 === content.length) {
	                        endingEscape = true;
	                        break argumentLoop;
	                    }
	                    if (!escaped) {
	                        mark = i;
	                    }
	                    switch (content.charAt(i + 1)) {
	                        case ' ':
	                        case '\t':
	                            if (!util_1.Util.isWhitespace(content.charAt(i + 2))) {
	                                // space was escaped, continue as normal
	                                i = i + 1;
	                                continue argumentLoop;
	                            }
	                            // whitespace encountered, need to figure out if it extends to EOL
	                            whitespaceCheck: for (let j = i + 2; j < content.length; j++) {
	                                switch (content.charAt(j)) {
	                                    case '\r':
	                                        // offset one more for \r\n
	                                        j++;
	                                    case '\n':
	                                        // whitespace only, safe to skip
	                                        escaped = true;
	                                        i = j;
	                                        continue argumentLoop;
	                                    case ' ':
	                                    case '\t':
	                                        // ignore whitespace
	                                        break;
	                                    default:
	                                        // whitespace doesn't extend to EOL, create an argument
	                                        args.push(new argument_1.Argument(content.substring(argStart, i), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + i + 2))));
	                                        argStart = j;
	                                        break whitespaceCheck;
	                                }
	                            }
	                            // go back and start processing the encountered non-whitespace character
	                            i = argStart - 1;
	                            continue argumentLoop;
	                        case '\r':
	                            // offset one more for \r\n
	                            i++;
	                        case '\n':
	                            // immediately followed by a newline, skip the newline
	                            escaped = true;
	                            i = i + 1;
	                            continue argumentLoop;
	                        case this.escapeChar:
	                            // double escape found, skip it and move on
	                            if (argStart === -1) {
	                                argStart = i;
	                            }
	                            i = i + 1;
	                            continue argumentLoop;
	                        default:
	                            if (argStart === -1) {
	                                argStart = i;
	                            }
	                            // non-whitespace encountered, skip the escape and process the
	                            // character normally
	                            continue argumentLoop;
	                    }
	                case '\'':
	                case '"':
	                    if (spaced) {
	                        this.createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start);
	                        // reset to start a new argument
	                        argStart = i;
	                        spaced = false;
	                    }
	                    if (argStart === -1) {
	                        argStart = i;
	                    }
	                    for (let j = i + 1; j < content.length; j++) {
	                        switch (content.charAt(j)) {
	                            case char:
	                                if (content.charAt(j + 1) !== ' ' && content.charAt(j + 1) !== '') {
	                                    // there is more content after this quote,
	                                    // continue so that it is all processed as
	                                    // one single argument
	                                    i = j;
	                                    continue argumentLoop;
	                                }
	                                args.push(new argument_1.Argument(content.substring(argStart, j + 1), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + j + 1))));
	                                i = j;
	                                argStart = -1;
	                                continue argumentLoop;
	                            case this.escapeChar:
	                                j++;
	                                break;
	                        }
	                    }
	                    break argumentLoop;
	                case ' ':
	                case '\t':
	                    if (escaped) {
	                        // consider there to be a space only if an argument
	                        // is not spanning multiple lines
	                        if (argStart !== -1) {
	                            spaced = true;
	                        }
	                    }
	                    else if (argStart !== -1) {
	                        args.push(new argument_1.Argument(content.substring(argStart, i), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + i))));
	                        argStart = -1;
	                    }
	                    break;
	                case '\r':
	                    // offset one more for \r\n
	                    i++;
	                case '\n':
	                    spaced = false;
	                    break;
	                case '#':
	                    if (escaped) {
	                        // a newline was escaped and now there's a comment
	                        for (let j = i + 1; j < content.length; j++) {
	                            switch (content.charAt(j)) {
	                                case '\r':
	                                    j++;
	                                case '\n':
	                                    i = j;
	                                    spaced = false;
	                                    continue argumentLoop;
	                            }
	                        }
	                        // went to the end without finding a newline,
	                        // the comment was the last line in the instruction,
	                        // just stop parsing, create an argument if needed
	                        if (argStart !== -1) {
	                            let value = content.substring(argStart, mark);
	                            args.push(new argument_1.Argument(value, vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + mark))));
	                            argStart = -1;
	                        }
	                        break argumentLoop;
	                    }
	                    else if (argStart === -1) {
	                        argStart = i;
	                    }
	                    break;
	                default:
	                    if (spaced) {
	                        this.createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start);
	                        // reset to start a new argument
	                        argStart = i;
	                        spaced = false;
	                    }
	                    escaped = false;
	                    if (argStart === -1) {
	                        argStart = i;
	                    }
	                    // variable detected
	                    if (char === '$' && content.charAt(i + 1) === '{') {
	                        let singleQuotes = false;
	                        let doubleQuotes = false;
	                        let escaped = false;
	                        for (let j = i + 1; j < content.length; j++) {
	                            switch (content.charAt(j)) {
	                                case this.escapeChar:
	                                    escaped = true;
	                                    break;
	                                case '\r':
	                                case '\n':
	                                    break;
	                                case '\'':
	                                    singleQuotes = !singleQuotes;
	                                    escaped = false;
	                                    break;
	                                case '"':
	                                    doubleQuotes = !doubleQuotes;
	                                    escaped = false;
	                                    break;
	                                case ' ':
	                                case '\t':
	                                    if (escaped || singleQuotes || doubleQuotes) {
	                                        break;
	                                    }
	                                    i = j - 1;
	                                    continue argumentLoop;
	                                case '}':
	                                    i = j;
	                                    continue argumentLoop;
	                                default:
	                                    escaped = false;
	                                    break;
	                            }
	                        }
	                        break argumentLoop;
	                    }
	                    break;
	            }
	        }
	        if (argStart !== -1 && argStart !== content.length) {
	            let end = endingEscape ? content.length - 1 : content.length;
	            let value = content.substring(argStart, end);
	            args.push(new argument_1.Argument(value, vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + end))));
	        }
	        return args;
	    }
	    createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start) {
	        if (argStart !== -1) {
	            args.push(new argument_1.Argument(content.substring(argStart, mark), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + mark))));
	        }
	    }
	}
	propertyInstruction.PropertyInstruction = PropertyInstruction;
	return propertyInstruction;
}

var hasRequiredArg;

function requireArg () {
	if (hasRequiredArg) return arg;
	hasRequiredArg = 1;
	Object.defineProperty(arg, "__esModule", { value: true });
	arg.Arg = void 0;
	const property_1 = requireProperty();
	const propertyInstruction_1 = requirePropertyInstruction();
	class Arg extends propertyInstruction_1.PropertyInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	        this.property = null;
	        const args = this.getPropertyArguments();
	        if (args.length === 1) {
	            this.property = new property_1.Property(this.document, this.escapeChar, args[0]);
	        }
	        else {
	            this.property = null;
	        }
	    }
	    /**
	     * Returns the variable defined by this ARG. This may be null if
	     * this ARG instruction is malformed and has no variable
	     * declaration.
	     */
	    getProperty() {
	        return this.property;
	    }
	}
	arg.Arg = Arg;
	return arg;
}

var cmd = {};

var hasRequiredCmd;

function requireCmd () {
	if (hasRequiredCmd) return cmd;
	hasRequiredCmd = 1;
	Object.defineProperty(cmd, "__esModule", { value: true });
	cmd.Cmd = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Cmd extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	}
	cmd.Cmd = Cmd;
	return cmd;
}

var copy = {};

var hasRequiredCopy;

function requireCopy () {
	if (hasRequiredCopy) return copy;
	hasRequiredCopy = 1;
	Object.defineProperty(copy, "__esModule", { value: true });
	copy.Copy = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Copy extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    stopSearchingForFlags(argument) {
	        return argument.indexOf("--") === -1;
	    }
	    getFromFlag() {
	        let flags = super.getFlags();
	        return flags.length === 1 && flags[0].getName() === "from" ? flags[0] : null;
	    }
	    /**
	     * Returns there here-documents that are defined in this RUN
	     * instruction.
	     *
	     * This API is experimental and subject to change.
	     */
	    getHeredocs() {
	        return super.getHeredocs();
	    }
	}
	copy.Copy = Copy;
	return copy;
}

var env = {};

var hasRequiredEnv;

function requireEnv () {
	if (hasRequiredEnv) return env;
	hasRequiredEnv = 1;
	Object.defineProperty(env, "__esModule", { value: true });
	env.Env = void 0;
	const propertyInstruction_1 = requirePropertyInstruction();
	class Env extends propertyInstruction_1.PropertyInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    getProperties() {
	        return super.getProperties();
	    }
	}
	env.Env = Env;
	return env;
}

var entrypoint = {};

var hasRequiredEntrypoint;

function requireEntrypoint () {
	if (hasRequiredEntrypoint) return entrypoint;
	hasRequiredEntrypoint = 1;
	Object.defineProperty(entrypoint, "__esModule", { value: true });
	entrypoint.Entrypoint = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Entrypoint extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	}
	entrypoint.Entrypoint = Entrypoint;
	return entrypoint;
}

var from = {};

var hasRequiredFrom;

function requireFrom () {
	if (hasRequiredFrom) return from;
	hasRequiredFrom = 1;
	Object.defineProperty(from, "__esModule", { value: true });
	from.From = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const modifiableInstruction_1 = requireModifiableInstruction();
	class From extends modifiableInstruction_1.ModifiableInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    stopSearchingForFlags(argument) {
	        return argument.indexOf("--") === -1;
	    }
	    getImage() {
	        const args = this.getArguments();
	        return args.length > 0 ? args[0].getValue() : null;
	    }
	    /**
	     * Returns the name of the image that will be used as the base image.
	     *
	     * @return the base image's name, or null if unspecified
	     */
	    getImageName() {
	        const imageName = this.getRangeContent(this.getImageNameRange());
	        if (imageName === null) {
	            return null;
	        }
	        let commented = false;
	        let escaped = false;
	        let name = "";
	        for (let i = 0; i < imageName.length; i++) {
	            const ch = imageName.charAt(i);
	            switch (ch) {
	                case this.escapeChar:
	                    escaped = true;
	                    break;
	                case '\r':
	                    continue;
	                case '\n':
	                    commented = false;
	                    break;
	                case ' ':
	                case '\t':
	                    break;
	                case '#':
	                    if (escaped) {
	                        commented = true;
	                    }
	                    else {
	                        name = name + ch;
	                        escaped = false;
	                    }
	                    break;
	                default:
	                    if (!commented) {
	                        name = name + ch;
	                        escaped = false;
	                    }
	                    break;
	            }
	        }
	        return name;
	    }
	    /**
	     * Returns the range that covers the name of the image used by
	     * this instruction.
	     *
	     * @return the range of the name of this instruction's argument,
	     *         or null if no image has been specified
	     */
	    getImageNameRange() {
	        let range = this.getImageRange();
	        if (range) {
	            let registryRange = this.getRegistryRange();
	            if (registryRange) {
	                range.start = this.document.positionAt(this.document.offsetAt(registryRange.end) + 1);
	            }
	            let tagRange = this.getImageTagRange();
	            let digestRange = this.getImageDigestRange();
	            if (tagRange === null) {
	                if (digestRange !== null) {
	                    range.end = this.document.positionAt(this.document.offsetAt(digestRange.start) - 1);
	                }
	            }
	            else {
	                range.end = this.document.positionAt(this.document.offsetAt(tagRange.start) - 1);
	            }
	            return range;
	        }
	        return null;
	    }
	    /**
	     * Returns the range that covers the image argument of this
	     * instruction. This includes the tag or digest of the image if
	     * it has been specified by the instruction.
	     *
	     * @return the range of the image argument, or null if no image
	     *         has been specified
	     */
	    getImageRange() {
	        let args = this.getArguments();
	        return args.length !== 0 ? args[0].getRange() : null;
	    }
	    getImageTag() {
	        return this.getRangeContent(this.getImageTagRange());
	    }
	    /**
	     * Returns the range in the document that the tag of the base
	     * image encompasses.
	     *
	     * @return the base image's tag's range in the document, or null
	     *         if no tag has been specified
	     */
	    getImageTagRange() {
	        const range = this.getImageRange();
	        if (range) {
	            const rangeStartOffset = this.document.offsetAt(range.start);
	            const content = this.getRangeContent(range);
	            const atIndex = this.indexOf(rangeStartOffset, content, '@');
	            const slashIndex = content.indexOf('/');
	            if (atIndex === -1) {
	                const colonIndex = this.lastIndexOf(rangeStartOffset, content, ':');
	                if (colonIndex > slashIndex) {
	                    return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + colonIndex + 1), range.end);
	                }
	            }
	            const subcontent = content.substring(0, atIndex);
	            const subcolonIndex = subcontent.indexOf(':');
	            if (subcolonIndex === -1) {
	                return null;
	            }
	            if (slashIndex === -1) {
	                // slash not found suggests no registry and no namespace defined
	                return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + subcolonIndex + 1), this.document.positionAt(rangeStartOffset + atIndex));
	            }
	            // both colon and slash found, check if it is a port
	            if (subcolonIndex < slashIndex) {
	                return null;
	            }
	            return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + subcolonIndex + 1), this.document.positionAt(rangeStartOffset + subcontent.length));
	        }
	        return null;
	    }
	    getImageDigest() {
	        return this.getRangeContent(this.getImageDigestRange());
	    }
	    /**
	     * Returns the range in the document that the digest of the base
	     * image encompasses.
	     *
	     * @return the base image's digest's range in the document, or null
	     *         if no digest has been specified
	     */
	    getImageDigestRange() {
	        let range = this.getImageRange();
	        if (range) {
	            let content = this.getRangeContent(range);
	            let index = this.lastIndexOf(this.document.offsetAt(range.start), content, '@');
	            if (index !== -1) {
	                return vscode_languageserver_types_1.Range.create(range.start.line, range.start.character + index + 1, range.end.line, range.end.character);
	            }
	        }
	        return null;
	    }
	    indexOf(documentOffset, content, searchString) {
	        let index = content.indexOf(searchString);
	        const variables = this.getVariables();
	        for (let i = 0; i < variables.length; i++) {
	            const position = documentOffset + index;
	            const variableRange = variables[i].getRange();
	            if (this.document.offsetAt(variableRange.start) < position && position < this.document.offsetAt(variableRange.end)) {
	                const offset = this.document.offsetAt(variableRange.end) - documentOffset;
	                const substring = content.substring(offset);
	                const subIndex = substring.indexOf(searchString);
	                if (subIndex === -1) {
	                    return -1;
	                }
	                index = subIndex + offset;
	                i = -1;
	                continue;
	            }
	        }
	        return index;
	    }
	    lastIndexOf(documentOffset, content, searchString) {
	        let index = content.lastIndexOf(searchString);
	        const variables = this.getVariables();
	        for (let i = 0; i < variables.length; i++) {
	            const position = documentOffset + index;
	            const variableRange = variables[i].getRange();
	            if (this.document.offsetAt(variableRange.start) < position && position < this.document.offsetAt(variableRange.end)) {
	                index = content.substring(0, index).lastIndexOf(searchString);
	                if (index === -1) {
	                    return -1;
	                }
	                i = -1;
	                continue;
	            }
	        }
	        return index;
	    }
	    getRegistry() {
	        return this.getRangeContent(this.getRegistryRange());
	    }
	    getRegistryRange() {
	        const range = this.getImageRange();
	        if (range) {
	            const tagRange = this.getImageTagRange();
	            const digestRange = this.getImageDigestRange();
	            if (tagRange === null) {
	                if (digestRange !== null) {
	                    range.end = this.document.positionAt(this.document.offsetAt(digestRange.start) - 1);
	                }
	            }
	            else {
	                range.end = this.document.positionAt(this.document.offsetAt(tagRange.start) - 1);
	            }
	            const content = this.getRangeContent(range);
	            const rangeStart = this.document.offsetAt(range.start);
	            const startingSlashIndex = this.indexOf(rangeStart, content, '/');
	            if (startingSlashIndex === -1) {
	                return null;
	            }
	            const portIndex = this.indexOf(rangeStart, content, ':');
	            const dotIndex = this.indexOf(rangeStart, content, '.');
	            // hostname detected
	            if (portIndex !== -1 || dotIndex !== -1) {
	                return vscode_languageserver_types_1.Range.create(range.start, this.document.positionAt(rangeStart + startingSlashIndex));
	            }
	            const registry = content.substring(0, startingSlashIndex);
	            // localhost registry detected
	            if (registry === 'localhost') {
	                return vscode_languageserver_types_1.Range.create(range.start, this.document.positionAt(rangeStart + startingSlashIndex));
	            }
	        }
	        return null;
	    }
	    getBuildStage() {
	        let range = this.getBuildStageRange();
	        return range === null ? null : this.getRangeContent(range);
	    }
	    getBuildStageRange() {
	        let args = this.getArguments();
	        if (args.length > 2 && args[1].getValue().toUpperCase() === "AS") {
	            return args[2].getRange();
	        }
	        return null;
	    }
	    getPlatformFlag() {
	        let flags = super.getFlags();
	        return flags.length === 1 && flags[0].getName() === "platform" ? flags[0] : null;
	    }
	}
	from.From = From;
	return from;
}

var healthcheck = {};

var hasRequiredHealthcheck;

function requireHealthcheck () {
	if (hasRequiredHealthcheck) return healthcheck;
	hasRequiredHealthcheck = 1;
	Object.defineProperty(healthcheck, "__esModule", { value: true });
	healthcheck.Healthcheck = void 0;
	const modifiableInstruction_1 = requireModifiableInstruction();
	class Healthcheck extends modifiableInstruction_1.ModifiableInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    stopSearchingForFlags(argument) {
	        argument = argument.toUpperCase();
	        return argument === "CMD" || argument === "NONE";
	    }
	    getSubcommand() {
	        let args = this.getArguments();
	        return args.length !== 0 ? args[0] : null;
	    }
	}
	healthcheck.Healthcheck = Healthcheck;
	return healthcheck;
}

var label = {};

var hasRequiredLabel;

function requireLabel () {
	if (hasRequiredLabel) return label;
	hasRequiredLabel = 1;
	Object.defineProperty(label, "__esModule", { value: true });
	label.Label = void 0;
	const propertyInstruction_1 = requirePropertyInstruction();
	const util_1 = requireUtil();
	class Label extends propertyInstruction_1.PropertyInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    getVariables() {
	        const variables = super.getVariables();
	        const properties = this.getProperties();
	        // iterate over all of this LABEL's properties
	        for (const property of properties) {
	            const value = property.getUnescapedValue();
	            // check if the value is contained in single quotes,
	            // single quotes would indicate a literal value
	            if (value !== null && value.length > 2 && value.charAt(0) === '\'' && value.charAt(value.length - 1) === '\'') {
	                const range = property.getValueRange();
	                for (let i = 0; i < variables.length; i++) {
	                    // if a variable is in a single quote, remove it from the list
	                    if (util_1.Util.isInsideRange(variables[i].getRange().start, range)) {
	                        variables.splice(i, 1);
	                        i--;
	                    }
	                }
	            }
	        }
	        return variables;
	    }
	    getProperties() {
	        return super.getProperties();
	    }
	}
	label.Label = Label;
	return label;
}

var onbuild = {};

var hasRequiredOnbuild;

function requireOnbuild () {
	if (hasRequiredOnbuild) return onbuild;
	hasRequiredOnbuild = 1;
	Object.defineProperty(onbuild, "__esModule", { value: true });
	onbuild.Onbuild = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const parser_1 = requireParser();
	const instruction_1 = requireInstruction();
	class Onbuild extends instruction_1.Instruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    getTrigger() {
	        let trigger = this.getTriggerWord();
	        return trigger === null ? null : trigger.toUpperCase();
	    }
	    getTriggerWord() {
	        return this.getRangeContent(this.getTriggerRange());
	    }
	    getTriggerRange() {
	        let args = this.getArguments();
	        return args.length > 0 ? args[0].getRange() : null;
	    }
	    getTriggerInstruction() {
	        let triggerRange = this.getTriggerRange();
	        if (triggerRange === null) {
	            return null;
	        }
	        let args = this.getArguments();
	        return parser_1.Parser.createInstruction(this.document, this.dockerfile, this.escapeChar, vscode_languageserver_types_1.Range.create(args[0].getRange().start, this.getRange().end), this.getTriggerWord(), triggerRange);
	    }
	}
	onbuild.Onbuild = Onbuild;
	return onbuild;
}

var run = {};

var hasRequiredRun;

function requireRun () {
	if (hasRequiredRun) return run;
	hasRequiredRun = 1;
	Object.defineProperty(run, "__esModule", { value: true });
	run.Run = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Run extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    stopSearchingForFlags(argument) {
	        return argument.indexOf("--") === -1;
	    }
	    /**
	     * Returns there here-documents that are defined in this RUN
	     * instruction.
	     *
	     * This API is experimental and subject to change.
	     */
	    getHeredocs() {
	        return super.getHeredocs();
	    }
	}
	run.Run = Run;
	return run;
}

var shell = {};

var hasRequiredShell;

function requireShell () {
	if (hasRequiredShell) return shell;
	hasRequiredShell = 1;
	Object.defineProperty(shell, "__esModule", { value: true });
	shell.Shell = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Shell extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	}
	shell.Shell = Shell;
	return shell;
}

var stopsignal = {};

var hasRequiredStopsignal;

function requireStopsignal () {
	if (hasRequiredStopsignal) return stopsignal;
	hasRequiredStopsignal = 1;
	Object.defineProperty(stopsignal, "__esModule", { value: true });
	stopsignal.Stopsignal = void 0;
	const instruction_1 = requireInstruction();
	class Stopsignal extends instruction_1.Instruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	}
	stopsignal.Stopsignal = Stopsignal;
	return stopsignal;
}

var workdir = {};

var hasRequiredWorkdir;

function requireWorkdir () {
	if (hasRequiredWorkdir) return workdir;
	hasRequiredWorkdir = 1;
	Object.defineProperty(workdir, "__esModule", { value: true });
	workdir.Workdir = void 0;
	const instruction_1 = requireInstruction();
	class Workdir extends instruction_1.Instruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    /**
	     * Returns the path that has been defined. Note that this path may
	     * be absolute or relative depending on what was written in the
	     * instruction.
	     *
	     * @return the working directory's path, or null if this
	     *         instruction has no arguments
	     */
	    getPath() {
	        return this.getArgumentsContent();
	    }
	    /**
	     * Returns the absolute path that this instruction resolves to. The
	     * function will inspect prior WORKDIR instructions in the current
	     * image or another build stage in the Dockerfile to try to
	     * determine this.
	     *
	     * @return the absolute path of the working directory, or null if
	     *         this instruction has no arguments, or undefined if it
	     *         cannot be determined because only relative paths could be
	     *         found
	     */
	    getAbsolutePath() {
	        const path = this.getPath();
	        if (path === null || path.startsWith("/")) {
	            return path;
	        }
	        const startLine = this.getRange().start.line;
	        const hierarchy = this.dockerfile.getStageHierarchy(startLine);
	        for (let i = hierarchy.length - 1; i >= 0; i--) {
	            const workdirs = hierarchy[i].getWORKDIRs();
	            for (let j = workdirs.length - 1; j >= 0; j--) {
	                if (workdirs[j].getRange().start.line < startLine) {
	                    const parent = workdirs[j].getAbsolutePath();
	                    if (parent === undefined || parent === null) {
	                        return undefined;
	                    }
	                    return parent.endsWith("/") ? parent + path : parent + "/" + path;
	                }
	            }
	        }
	        return undefined;
	    }
	}
	workdir.Workdir = Workdir;
	return workdir;
}

var user = {};

var hasRequiredUser;

function requireUser () {
	if (hasRequiredUser) return user;
	hasRequiredUser = 1;
	Object.defineProperty(user, "__esModule", { value: true });
	user.User = void 0;
	const instruction_1 = requireInstruction();
	class User extends instruction_1.Instruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	}
	user.User = User;
	return user;
}

var volume = {};

var hasRequiredVolume;

function requireVolume () {
	if (hasRequiredVolume) return volume;
	hasRequiredVolume = 1;
	Object.defineProperty(volume, "__esModule", { value: true });
	volume.Volume = void 0;
	const jsonInstruction_1 = requireJsonInstruction();
	class Volume extends jsonInstruction_1.JSONInstruction {
	    constructor(document, range, dockerfile, escapeChar, instruction, instructionRange) {
	        super(document, range, dockerfile, escapeChar, instruction, instructionRange);
	    }
	}
	volume.Volume = Volume;
	return volume;
}

var dockerfile = {};

var imageTemplate = {};

/* --------------------------------------------------------------------------------------------
 * Copyright (c) Remy Suen. All rights reserved.
 * Licensed under the MIT License. See License.txt in the project root for license information.
 * ------------------------------------------------------------------------------------------ */

var hasRequiredImageTemplate;

function requireImageTemplate () {
	if (hasRequiredImageTemplate) return imageTemplate;
	hasRequiredImageTemplate = 1;
	Object.defineProperty(imageTemplate, "__esModule", { value: true });
	imageTemplate.ImageTemplate = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const arg_1 = requireArg();
	const cmd_1 = requireCmd();
	const copy_1 = requireCopy();
	const env_1 = requireEnv();
	const entrypoint_1 = requireEntrypoint();
	const from_1 = requireFrom();
	const healthcheck_1 = requireHealthcheck();
	const onbuild_1 = requireOnbuild();
	const util_1 = requireUtil();
	const workdir_1 = requireWorkdir();
	class ImageTemplate {
	    constructor() {
	        this.comments = [];
	        this.instructions = [];
	    }
	    addComment(comment) {
	        this.comments.push(comment);
	    }
	    getComments() {
	        return this.comments;
	    }
	    addInstruction(instruction) {
	        this.instructions.push(instruction);
	    }
	    getInstructions() {
	        return this.instructions;
	    }
	    getInstructionAt(line) {
	        for (let instruction of this.instructions) {
	            if (util_1.Util.isInsideRange(vscode_languageserver_types_1.Position.create(line, 0), instruction.getRange())) {
	                return instruction;
	            }
	        }
	        return null;
	    }
	    /**
	     * Gets all the ARG instructions that are defined in this image.
	     */
	    getARGs() {
	        let args = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof arg_1.Arg) {
	                args.push(instruction);
	            }
	        }
	        return args;
	    }
	    /**
	     * Gets all the CMD instructions that are defined in this image.
	     */
	    getCMDs() {
	        let cmds = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof cmd_1.Cmd) {
	                cmds.push(instruction);
	            }
	        }
	        return cmds;
	    }
	    /**
	     * Gets all the COPY instructions that are defined in this image.
	     */
	    getCOPYs() {
	        let copies = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof copy_1.Copy) {
	                copies.push(instruction);
	            }
	        }
	        return copies;
	    }
	    /**
	     * Gets all the ENTRYPOINT instructions that are defined in this image.
	     */
	    getENTRYPOINTs() {
	        let froms = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof entrypoint_1.Entrypoint) {
	                froms.push(instruction);
	            }
	        }
	        return froms;
	    }
	    /**
	     * Gets all the ENV instructions that are defined in this image.
	     */
	    getENVs() {
	        let args = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof env_1.Env) {
	                args.push(instruction);
	            }
	        }
	        return args;
	    }
	    getFROM() {
	        for (const instruction of this.instructions) {
	            if (instruction instanceof from_1.From) {
	                return instruction;
	            }
	        }
	        return null;
	    }
	    /**
	     * Gets all the FROM instructions that are defined in this image.
	     */
	    getFROMs() {
	        let froms = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof from_1.From) {
	                froms.push(instruction);
	            }
	        }
	        return froms;
	    }
	    /**
	     * Gets all the HEALTHCHECK instructions that are defined in this image.
	     */
	    getHEALTHCHECKs() {
	        let froms = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof healthcheck_1.Healthcheck) {
	                froms.push(instruction);
	            }
	        }
	        return froms;
	    }
	    getWORKDIRs() {
	        const workdirs = [];
	        for (const instruction of this.instructions) {
	            if (instruction instanceof workdir_1.Workdir) {
	                workdirs.push(instruction);
	            }
	        }
	        return workdirs;
	    }
	    getOnbuildTriggers() {
	        let triggers = [];
	        for (let instruction of this.instructions) {
	            if (instruction instanceof onbuild_1.Onbuild) {
	                let trigger = instruction.getTriggerInstruction();
	                if (trigger) {
	                    triggers.push(trigger);
	                }
	            }
	        }
	        return triggers;
	    }
	    getAvailableVariables(currentLine) {
	        const variables = [];
	        for (const arg of this.getARGs()) {
	            if (arg.isBefore(currentLine)) {
	                const property = arg.getProperty();
	                if (property) {
	                    const variable = property.getName();
	                    if (variables.indexOf(variable) === -1) {
	                        variables.push(variable);
	                    }
	                }
	            }
	        }
	        for (const env of this.getENVs()) {
	            if (env.isBefore(currentLine)) {
	                for (const property of env.getProperties()) {
	                    const variable = property.getName();
	                    if (variables.indexOf(variable) === -1) {
	                        variables.push(variable);
	                    }
	                }
	            }
	        }
	        return variables;
	    }
	    /**
	     * Resolves a variable with the given name at the specified line
	     * to its value. If null is returned, then the variable has been
	     * defined but no value was given. If undefined is returned, then
	     * a variable with the given name has not been defined yet as of
	     * the given line.
	     *
	     * @param variable the name of the variable to resolve
	     * @param line the line number that the variable is on, zero-based
	     * @return the value of the variable as defined by an ARG or ENV
	     *         instruction, or null if no value has been specified, or
	     *         undefined if a variable with the given name has not
	     *         been defined
	     */
	    resolveVariable(variable, line) {
	        let envs = this.getENVs();
	        for (let i = envs.length - 1; i >= 0; i--) {
	            if (envs[i].isBefore(line)) {
	                for (let property of envs[i].getProperties()) {
	                    if (property.getName() === variable) {
	                        return property.getValue();
	                    }
	                }
	            }
	        }
	        let args = this.getARGs();
	        for (let i = args.length - 1; i >= 0; i--) {
	            if (args[i].isBefore(line)) {
	                let property = args[i].getProperty();
	                if (property && property.getName() === variable) {
	                    return property.getValue();
	                }
	            }
	        }
	        return undefined;
	    }
	    getRange() {
	        const instructions = this.getInstructions();
	        if (instructions.length === 0) {
	            // all templates should have instructions, this only happens for
	            // the initial set of instruction
	            return vscode_languageserver_types_1.Range.create(0, 0, 0, 0);
	        }
	        const instructionStart = instructions[0].getRange().start;
	        const instructionEnd = instructions[instructions.length - 1].getRange().end;
	        return vscode_languageserver_types_1.Range.create(instructionStart, instructionEnd);
	    }
	    contains(position) {
	        const range = this.getRange();
	        if (range === null) {
	            return false;
	        }
	        return util_1.Util.isInsideRange(position, range);
	    }
	}
	imageTemplate.ImageTemplate = ImageTemplate;
	return imageTemplate;
}

/* --------------------------------------------------------------------------------------------
 * Copyright (c) Remy Suen. All rights reserved.
 * Licensed under the MIT License. See License.txt in the project root for license information.
 * ------------------------------------------------------------------------------------------ */

var hasRequiredDockerfile;

function requireDockerfile () {
	if (hasRequiredDockerfile) return dockerfile;
	hasRequiredDockerfile = 1;
	Object.defineProperty(dockerfile, "__esModule", { value: true });
	dockerfile.Dockerfile = void 0;
	const vscode_languageserver_types_1 = require$$1;
	const ast = requireMain();
	const imageTemplate_1 = requireImageTemplate();
	const from_1 = requireFrom();
	const util_1 = requireUtil();
	const main_1 = requireMain();
	class Dockerfile extends imageTemplate_1.ImageTemplate {
	    constructor(document) {
	        super();
	        this.initialInstructions = new imageTemplate_1.ImageTemplate();
	        this.buildStages = [];
	        this.directives = [];
	        /**
	         * Whether a FROM instruction has been added to this Dockerfile or not.
	         */
	        this.foundFrom = false;
	        this.document = document;
	    }
	    getEscapeCharacter() {
	        for (const directive of this.directives) {
	            if (directive.getDirective() === ast.Directive.escape) {
	                const value = directive.getValue();
	                if (value === '\\' || value === '`') {
	                    return value;
	                }
	            }
	        }
	        return '\\';
	    }
	    getInitialARGs() {
	        return this.initialInstructions.getARGs();
	    }
	    getContainingImage(position) {
	        let range = vscode_languageserver_types_1.Range.create(vscode_languageserver_types_1.Position.create(0, 0), this.document.positionAt(this.document.getText().length));
	        if (!util_1.Util.isInsideRange(position, range)) {
	            // not inside the document, invalid position
	            return null;
	        }
	        if (this.initialInstructions.getComments().length > 0 || this.initialInstructions.getInstructions().length > 0) {
	            if (util_1.Util.isInsideRange(position, this.initialInstructions.getRange())) {
	                return this.initialInstructions;
	            }
	        }
	        for (const buildStage of this.buildStages) {
	            if (util_1.Util.isInsideRange(position, buildStage.getRange())) {
	                return buildStage;
	            }
	        }
	        return this;
	    }
	    addInstruction(instruction) {
	        if (instruction.getKeyword() === main_1.Keyword.FROM) {
	            this.currentBuildStage = new imageTemplate_1.ImageTemplate();
	            this.buildStages.push(this.currentBuildStage);
	            this.foundFrom = true;
	        }
	        else if (!this.foundFrom) {
	            this.initialInstructions.addInstruction(instruction);
	        }
	        if (this.foundFrom) {
	            this.currentBuildStage.addInstruction(instruction);
	        }
	        super.addInstruction(instruction);
	    }
	    setDirectives(directives) {
	        this.directives = directives;
	    }
	    getDirective() {
	        return this.directives.length === 0 ? null : this.directives[0];
	    }
	    getDirectives() {
	        return this.directives;
	    }
	    resolveVariable(variable, line) {
	        for (let from of this.getFROMs()) {
	            let range = from.getRange();
	            if (range.start.line <= line && line <= range.end.line) {
	                // resolve the FROM variable against the initial ARGs
	                let initialARGs = new imageTemplate_1.ImageTemplate();
	                for (let instruction of this.initialInstructions.getARGs()) {
	                    initialARGs.addInstruction(instruction);
	                }
	                return initialARGs.resolveVariable(variable, line);
	            }
	        }
	        let image = this.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
	        if (image === null) {
	            return undefined;
	        }
	        let resolvedVariable = image.resolveVariable(variable, line);
	        if (resolvedVariable === null) {
	            // refers to an uninitialized ARG variable,
	            // try resolving it against the initial ARGs then
	            let initialARGs = new imageTemplate_1.ImageTemplate();
	            for (let instruction of this.initialInstructions.getARGs()) {
	                initialARGs.addInstruction(instruction);
	            }
	            return initialARGs.resolveVariable(variable, line);
	        }
	        return resolvedVariable;
	    }
	    getAvailableVariables(currentLine) {
	        if (this.getInstructionAt(currentLine) instanceof from_1.From) {
	            let variables = [];
	            for (let arg of this.getInitialARGs()) {
	                let property = arg.getProperty();
	                if (property) {
	                    variables.push(property.getName());
	                }
	            }
	            return variables;
	        }
	        let image = this.getContainingImage(vscode_languageserver_types_1.Position.create(currentLine, 0));
	        return image ? image.getAvailableVariables(currentLine) : [];
	    }
	    getParentStage(image) {
	        const templateFrom = image.getFROM();
	        const imageName = templateFrom === null ? null : templateFrom.getImageName();
	        if (imageName === null) {
	            return null;
	        }
	        for (const from of this.getFROMs()) {
	            if (from.getBuildStage() === imageName) {
	                const range = from.getRange();
	                // on the same line then it's an image that shares the name as the build stage
	                if (range.start.line === templateFrom.getRange().start.line) {
	                    return null;
	                }
	                return this.getContainingImage(range.start);
	            }
	        }
	        return null;
	    }
	    getStageHierarchy(line) {
	        const image = this.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
	        if (image === null) {
	            return [];
	        }
	        const stages = [image];
	        let stage = this.getParentStage(image);
	        while (stage !== null) {
	            stages.splice(0, 0, stage);
	            stage = this.getParentStage(stage);
	        }
	        return stages;
	    }
	    getAvailableWorkingDirectories(line) {
	        const availableDirectories = new Set();
	        for (const image of this.getStageHierarchy(line)) {
	            for (const workdir of image.getWORKDIRs()) {
	                if (workdir.getRange().end.line < line) {
	                    let directory = workdir.getAbsolutePath();
	                    if (directory !== undefined && directory !== null) {
	                        if (!directory.endsWith("/")) {
	                            directory += "/";
	                        }
	                        availableDirectories.add(directory);
	                    }
	                }
	            }
	        }
	        return Array.from(availableDirectories);
	    }
	    /**
	     * Internally reorganize the comments in the Dockerfile and allocate
	     * them to the relevant build stages that they belong to.
	     */
	    organizeComments() {
	        const comments = this.getComments();
	        for (let i = 0; i < comments.length; i++) {
	            if (util_1.Util.isInsideRange(comments[i].getRange().end, this.initialInstructions.getRange())) {
	                this.initialInstructions.addComment(comments[i]);
	            }
	            else {
	                for (const buildStage of this.buildStages) {
	                    if (util_1.Util.isInsideRange(comments[i].getRange().start, buildStage.getRange())) {
	                        buildStage.addComment(comments[i]);
	                    }
	                }
	            }
	        }
	    }
	    getRange() {
	        const comments = this.getComments();
	        const instructions = this.getInstructions();
	        let range = null;
	        if (comments.length === 0) {
	            if (instructions.length > 0) {
	                range = vscode_languageserver_types_1.Range.create(instructions[0].getRange().start, instructions[instructions.length - 1].getRange().end);
	            }
	        }
	        else if (instructions.length === 0) {
	            range = vscode_languageserver_types_1.Range.create(comments[0].getRange().start, comments[comments.length - 1].getRange().end);
	        }
	        else {
	            const commentStart = comments[0].getRange().start;
	            const commentEnd = comments[comments.length - 1].getRange().end;
	            const instructionStart = instructions[0].getRange().start;
	            const instructionEnd = instructions[instructions.length - 1].getRange().end;
	            if (commentStart.line < instructionStart.line) {
	                if (commentEnd.line < instructionEnd.line) {
	                    range = vscode_languageserver_types_1.Range.create(commentStart, instructionEnd);
	                }
	                range = vscode_languageserver_types_1.Range.create(commentStart, commentEnd);
	            }
	            else if (commentEnd.line < instructionEnd.line) {
	                range = vscode_languageserver_types_1.Range.create(instructionStart, instructionEnd);
	            }
	            else {
	                range = vscode_languageserver_types_1.Range.create(instructionStart, commentEnd);
	            }
	        }
	        if (range === null) {
	            if (this.directives.length === 0) {
	                return null;
	            }
	            return this.directives[0].getRange();
	        }
	        else if (this.directives.length === 0) {
	            return range;
	        }
	        return vscode_languageserver_types_1.Range.create(this.directives[0].getRange().start, range.end);
	    }
	}
	dockerfile.Dockerfile = Dockerfile;
	return dockerfile;
}

/* --------------------------------------------------------------------------------------------
 * Copyright (c) Remy Suen. All rights reserved.
 * Licensed under the MIT License. See License.txt in the project root for license information.
 * ------------------------------------------------------------------------------------------ */

var hasRequiredParser;

function requireParser () {
	if (hasRequiredParser) return parser;
	hasRequiredParser = 1;
	Object.defineProperty(parser, "__esModule", { value: true });
	parser.Parser = void 0;
	const vscode_languageserver_textdocument_1 = require$$0;
	const vscode_languageserver_types_1 = require$$1;
	const comment_1 = requireComment();
	const parserDirective_1 = requireParserDirective();
	const instruction_1 = requireInstruction();
	const add_1 = requireAdd();
	const arg_1 = requireArg();
	const cmd_1 = requireCmd();
	const copy_1 = requireCopy();
	const env_1 = requireEnv();
	const entrypoint_1 = requireEntrypoint();
	const from_1 = requireFrom();
	const healthcheck_1 = requireHealthcheck();
	const label_1 = requireLabel();
	const onbuild_1 = requireOnbuild();
	const run_1 = requireRun();
	const shell_1 = requireShell();
	const stopsignal_1 = requireStopsignal();
	const workdir_1 = requireWorkdir();
	const user_1 = requireUser();
	const volume_1 = requireVolume();
	const dockerfile_1 = requireDockerfile();
	const util_1 = requireUtil();
	const main_1 = requireMain();
	class Parser {
	    constructor() {
	        this.escapeChar = null;
	    }
	    static createInstruction(document, dockerfile, escapeChar, lineRange, instruction, instructionRange) {
	        switch (instruction.toUpperCase()) {
	            case "ADD":
	                return new add_1.Add(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "ARG":
	                return new arg_1.Arg(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "CMD":
	                return new cmd_1.Cmd(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "COPY":
	                return new copy_1.Copy(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "ENTRYPOINT":
	                return new entrypoint_1.Entrypoint(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "ENV":
	                return new env_1.Env(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "FROM":
	                return new from_1.From(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "HEALTHCHECK":
	                return new healthcheck_1.Healthcheck(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "LABEL":
	                return new label_1.Label(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "ONBUILD":
	                return new onbuild_1.Onbuild(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "RUN":
	                return new run_1.Run(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "SHELL":
	                return new shell_1.Shell(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "STOPSIGNAL":
	                return new stopsignal_1.Stopsignal(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "WORKDIR":
	                return new workdir_1.Workdir(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "USER":
	                return new user_1.User(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	            case "VOLUME":
	                return new volume_1.Volume(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	        }
	        return new instruction_1.Instruction(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
	    }
	    getParserDirectives(document, buffer) {
	        // reset the escape directive in between runs
	        const directives = [];
	        this.escapeChar = '';
	        const offset = util_1.Util.isUTF8BOM(buffer.substring(0, 1)) ? 1 : 0;
	        directiveCheck: for (let i = offset; i < buffer.length; i++) {
	            switch (buffer.charAt(i)) {
	                case ' ':
	                case '\t':
	                    break;
	                case '\r':
	                case '\n':
	                    // blank lines stop the parsing of directives immediately
	                    break directiveCheck;
	                case '#':
	                    let directiveStart = -1;
	                    let directiveEnd = -1;
	                    for (let j = i + 1; j < buffer.length; j++) {
	                        let char = buffer.charAt(j);
	                        switch (char) {
	                            case ' ':
	                            case '\t':
	                                if (directiveStart !== -1 && directiveEnd === -1) {
	                                    directiveEnd = j;
	                                }
	                                break;
	                            case '\r':
	                            case '\n':
	                                break directiveCheck;
	                            case '=':
	                                let valueStart = -1;
	                                let valueEnd = -1;
	                                if (directiveEnd === -1) {
	                                    directiveEnd = j;
	                                }
	                                // assume the line ends with the file
	                                let lineEnd = buffer.length;
	                                directiveValue: for (let k = j + 1; k < buffer.length; k++) {
	                                    char = buffer.charAt(k);
	                                    switch (char) {
	                                        case '\r':
	                                        case '\n':
	                                            if (valueStart !== -1 && valueEnd === -1) {
	                                                valueEnd = k;
	                                            }
	                                            // line break found, reset
	                                            lineEnd = k;
	                                            break directiveValue;
	                                        case '\t':
	                                        case ' ':
	                                            if (valueStart !== -1 && valueEnd === -1) {
	                                                valueEnd = k;
	                                            }
	                                            continue;
	                                        default:
	                                            if (valueStart === -1) {
	                                                valueStart = k;
	                                            }
	                                            break;
	                                    }
	                                }
	                                if (directiveStart === -1) {
	                                    // no directive, it's a regular comment
	                                    break directiveCheck;
	                                }
	                                if (valueStart === -1) {
	                                    // no non-whitespace characters found, highlight all the characters then
	                                    valueStart = j + 1;
	                                    valueEnd = lineEnd;
	                                }
	                                else if (valueEnd === -1) {
	                                    // reached EOF
	                                    valueEnd = buffer.length;
	                                }
	                                const lineRange = vscode_languageserver_types_1.Range.create(document.positionAt(i), document.positionAt(lineEnd));
	                                const nameRange = vscode_languageserver_types_1.Range.create(document.positionAt(directiveStart), document.positionAt(directiveEnd));
	                                const valueRange = vscode_languageserver_types_1.Range.create(document.positionAt(valueStart), document.positionAt(valueEnd));
	                                directives.push(new parserDirective_1.ParserDirective(document, lineRange, nameRange, valueRange));
	                                directiveStart = -1;
	                                if (buffer.charAt(valueEnd) === '\r') {
	                                    // skip over the \r
	                                    i = valueEnd + 1;
	                                }
	                                else {
	                                    i = valueEnd;
	                                }
	                                continue directiveCheck;
	                            default:
	                                if (directiveStart === -1) {
	                                    directiveStart = j;
	                                }
	                                break;
	                        }
	                    }
	                    break;
	                default:
	                    break directiveCheck;
	            }
	        }
	        return directives;
	    }
	    parse(buffer) {
	        this.document = vscode_languageserver_textdocument_1.TextDocument.create("", "", 0, buffer);
	        this.buffer = buffer;
	        let dockerfile = new dockerfile_1.Dockerfile(this.document);
	        let directives = this.getParserDirectives(this.document, this.buffer);
	        let offset = 0;
	        this.escapeChar = '\\';
	        if (directives.length > 0) {
	            dockerfile.setDirectives(directives);
	            this.escapeChar = dockerfile.getEscapeCharacter();
	            // start parsing after the directives
	            offset = this.document.offsetAt(vscode_languageserver_types_1.Position.create(directives.length, 0));
	        }
	        else if (util_1.Util.isUTF8BOM(buffer.substring(0, 1))) {
	            offset = 1;
	        }
	        for (let i = offset; i < this.buffer.length; i++) {
	            const char = this.buffer.charAt(i);
	            switch (char) {
	                case ' ':
	                case '\t':
	                case '\r':
	                case '\n':
	                    break;
	                case '#':
	                    i = this.processComment(dockerfile, i);
	                    break;
	                default:
	                    i = this.processInstruction(dockerfile, char, i);
	                    break;
	            }
	        }
	        dockerfile.organizeComments();
	        return dockerfile;
	    }
	    processInstruction(dockerfile, char, start) {
	        let instruction = char;
	        let instructionEnd = -1;
	        let escapedInstruction = false;
	        instructionCheck: for (let i = start + 1; i < this.buffer.length; i++) {
	            char = this.buffer.charAt(i);
	            switch (char) {
	                case this.escapeChar:
	                    escapedInstruction = true;
	                    char = this.buffer.charAt(i + 1);
	                    if (char === '\r' || char === '\n') {
	                        if (instructionEnd === -1) {
	                            instructionEnd = i;
	                        }
	                        i++;
	                    }
	                    else if (char === ' ' || char === '\t') {
	                        for (let j = i + 2; j < this.buffer.length; j++) {
	                            switch (this.buffer.charAt(j)) {
	                                case ' ':
	                                case '\t':
	                                    break;
	                                case '\r':
	                                case '\n':
	                                    i = j;
	                                    continue instructionCheck;
	                                default:
	                                    // found an argument, mark end of instruction
	                                    instructionEnd = i + 1;
	                                    instruction = instruction + this.escapeChar;
	                                    i = j - 2;
	                                    continue instructionCheck;
	                            }
	                        }
	                        // reached EOF
	                        instructionEnd = i + 1;
	                        instruction = instruction + this.escapeChar;
	                        break instructionCheck;
	                    }
	                    else {
	                        instructionEnd = i + 1;
	                        instruction = instruction + this.escapeChar;
	                        // reset and consider it as one contiguous word
	                        escapedInstruction = false;
	                    }
	                    break;
	                case ' ':
	                case '\t':
	                    if (escapedInstruction) {
	                        // on an escaped newline, need to search for non-whitespace
	                        escapeCheck: for (let j = i + 1; j < this.buffer.length; j++) {
	                            switch (this.buffer.charAt(j)) {
	                                case ' ':
	                                case '\t':
	                                    break;
	                                case '\r':
	                                case '\n':
	                                    i = j;
	                                    continue instructionCheck;
	                                default:
	                                    break escapeCheck;
	                            }
	                        }
	                        escapedInstruction = false;
	                    }
	                    if (instructionEnd === -1) {
	                        instructionEnd = i;
	                    }
	                    i = this.processArguments(dockerfile, instruction, instructionEnd, start, i);
	                    dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, instructionEnd, i));
	                    return i;
	                case '\r':
	                case '\n':
	                    if (escapedInstruction) {
	                        continue;
	                    }
	                    if (instructionEnd === -1) {
	                        instructionEnd = i;
	                    }
	                    dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, i, i));
	                    return i;
	                case '#':
	                    if (escapedInstruction) {
	                        continue;
	                    }
	                default:
	                    instructionEnd = i + 1;
	                    instruction = instruction + char;
	                    escapedInstruction = false;
	                    break;
	            }
	        }
	        // reached EOF
	        if (instructionEnd === -1) {
	            instructionEnd = this.buffer.length;
	        }
	        dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, instructionEnd, this.buffer.length));
	        return this.buffer.length;
	    }
	    processHeredocs(instruction, offset) {
	        let keyword = instruction.getKeyword();
	        if (keyword === main_1.Keyword.ONBUILD) {
	            instruction = instruction.getTriggerInstruction();
	            if (instruction === null) {
	                return offset;
	            }
	            keyword = instruction.getKeyword();
	        }
	        if (keyword !== main_1.Keyword.ADD && keyword !== main_1.Keyword.COPY && keyword !== main_1.Keyword.RUN) {
	            return offset;
	        }
	        const heredocs = [];
	        let tabbed = false;
	        for (const arg of instruction.getArguments()) {
	            const value = arg.getValue();
	            if (value.startsWith("<<") && value.length > 2) {
	                if (value.startsWith("<<-")) {
	                    tabbed = true;
	                }
	                const name = util_1.Util.parseHeredocName(value);
	                if (name !== null) {
	                    heredocs.push(name);
	                }
	            }
	        }
	        if (heredocs.length > 0) {
	            for (const heredoc of heredocs) {
	                offset = this.parseHeredoc(heredoc, offset, tabbed);
	            }
	        }
	        return offset;
	    }
	    processArguments(dockerfile, instruction, instructionEnd, start, offset) {
	        let escaped = false;
	        argumentsCheck: for (let i = offset + 1; i < this.buffer.length; i++) {
	            switch (this.buffer.charAt(i)) {
	                case '\r':
	                case '\n':
	                    if (escaped) {
	                        continue;
	                    }
	                    return this.processHeredocs(this.createInstruction(dockerfile, instruction, start, instructionEnd, i), i);
	                case this.escapeChar:
	                    const next = this.buffer.charAt(i + 1);
	                    if (next === '\n' || next === '\r') {
	                        escaped = true;
	                        i++;
	                    }
	                    else if (next === ' ' || next === '\t') {
	                        for (let j = i + 2; j < this.buffer.length; j++) {
	                            switch (this.buffer.charAt(j)) {
	                                case ' ':
	                                case '\t':
	                                    break;
	                                case '\r':
	                                case '\n':
	                                    escaped = true;
	                                default:
	                                    i = j;
	                                    continue argumentsCheck;
	                            }
	                        }
	                        // reached EOF
	                        return this.buffer.length;
	                    }
	                    continue;
	                case '#':
	                    if (escaped) {
	                        i = this.processComment(dockerfile, i);
	                        continue argumentsCheck;
	                    }
	                    break;
	                case ' ':
	                case '\t':
	                    break;
	                default:
	                    if (escaped) {
	                        escaped = false;
	                    }
	                    break;
	            }
	        }
	        return this.buffer.length;
	    }
	    processComment(dockerfile, start) {
	        let end = this.buffer.length;
	        commentLoop: for (let i = start + 1; i < this.buffer.length; i++) {
	            switch (this.buffer.charAt(i)) {
	                case '\r':
	                case '\n':
	                    end = i;
	                    break commentLoop;
	            }
	        }
	        const range = vscode_languageserver_types_1.Range.create(this.document.positionAt(start), this.document.positionAt(end));
	        dockerfile.addComment(new comment_1.Comment(this.document, range));
	        return end;
	    }
	    parseHeredoc(heredocName, offset, tabbed) {
	        let startWord = -1;
	        let lineStart = true;
	        for (let i = offset; i < this.buffer.length; i++) {
	            switch (this.buffer.charAt(i)) {
	                case ' ':
	                    lineStart = false;
	                    break;
	                case '\t':
	                    if (!tabbed) {
	                        lineStart = false;
	                    }
	                    break;
	                case '\r':
	                case '\n':
	                    if (startWord !== -1 && heredocName === this.buffer.substring(startWord, i)) {
	                        return i;
	                    }
	                    startWord = -1;
	                    lineStart = true;
	                    break;
	                default:
	                    if (lineStart) {
	                        startWord = i;
	                        lineStart = false;
	                    }
	                    break;
	            }
	        }
	        return this.buffer.length;
	    }
	    createInstruction(dockerfile, instruction, start, instructionEnd, end) {
	        const startPosition = this.document.positionAt(start);
	        const instructionRange = vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(instructionEnd));
	        const lineRange = vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(end));
	        return Parser.createInstruction(this.document, dockerfile, this.escapeChar, lineRange, instruction, instructionRange);
	    }
	}
	parser.Parser = Parser;
	return parser;
}

var hasRequiredMain;

function requireMain () {
	if (hasRequiredMain) return main$2;
	hasRequiredMain = 1;
	(function (exports) {
		Object.defineProperty(exports, "__esModule", { value: true });
		exports.DockerfileParser = exports.DefaultVariables = exports.Directive = exports.Keyword = exports.Workdir = exports.Volume = exports.User = exports.Stopsignal = exports.Shell = exports.Run = exports.PropertyInstruction = exports.Onbuild = exports.ModifiableInstruction = exports.Label = exports.JSONInstruction = exports.Heredoc = exports.Healthcheck = exports.From = exports.Env = exports.Entrypoint = exports.Copy = exports.Cmd = exports.Arg = exports.Add = exports.Variable = exports.Property = exports.ParserDirective = exports.Line = exports.Instruction = exports.Flag = exports.Comment = exports.JSONArgument = exports.Argument = void 0;
		var argument_1 = requireArgument();
		Object.defineProperty(exports, "Argument", { enumerable: true, get: function () { return argument_1.Argument; } });
		var jsonArgument_1 = requireJsonArgument();
		Object.defineProperty(exports, "JSONArgument", { enumerable: true, get: function () { return jsonArgument_1.JSONArgument; } });
		const comment_1 = requireComment();
		Object.defineProperty(exports, "Comment", { enumerable: true, get: function () { return comment_1.Comment; } });
		const parser_1 = requireParser();
		var flag_1 = requireFlag();
		Object.defineProperty(exports, "Flag", { enumerable: true, get: function () { return flag_1.Flag; } });
		const instruction_1 = requireInstruction();
		Object.defineProperty(exports, "Instruction", { enumerable: true, get: function () { return instruction_1.Instruction; } });
		var line_1 = requireLine();
		Object.defineProperty(exports, "Line", { enumerable: true, get: function () { return line_1.Line; } });
		const parserDirective_1 = requireParserDirective();
		Object.defineProperty(exports, "ParserDirective", { enumerable: true, get: function () { return parserDirective_1.ParserDirective; } });
		var property_1 = requireProperty();
		Object.defineProperty(exports, "Property", { enumerable: true, get: function () { return property_1.Property; } });
		var variable_1 = requireVariable();
		Object.defineProperty(exports, "Variable", { enumerable: true, get: function () { return variable_1.Variable; } });
		var add_1 = requireAdd();
		Object.defineProperty(exports, "Add", { enumerable: true, get: function () { return add_1.Add; } });
		const arg_1 = requireArg();
		Object.defineProperty(exports, "Arg", { enumerable: true, get: function () { return arg_1.Arg; } });
		const cmd_1 = requireCmd();
		Object.defineProperty(exports, "Cmd", { enumerable: true, get: function () { return cmd_1.Cmd; } });
		const copy_1 = requireCopy();
		Object.defineProperty(exports, "Copy", { enumerable: true, get: function () { return copy_1.Copy; } });
		const entrypoint_1 = requireEntrypoint();
		Object.defineProperty(exports, "Entrypoint", { enumerable: true, get: function () { return entrypoint_1.Entrypoint; } });
		const env_1 = requireEnv();
		Object.defineProperty(exports, "Env", { enumerable: true, get: function () { return env_1.Env; } });
		const from_1 = requireFrom();
		Object.defineProperty(exports, "From", { enumerable: true, get: function () { return from_1.From; } });
		const healthcheck_1 = requireHealthcheck();
		Object.defineProperty(exports, "Healthcheck", { enumerable: true, get: function () { return healthcheck_1.Healthcheck; } });
		var heredoc_1 = requireHeredoc();
		Object.defineProperty(exports, "Heredoc", { enumerable: true, get: function () { return heredoc_1.Heredoc; } });
		var jsonInstruction_1 = requireJsonInstruction();
		Object.defineProperty(exports, "JSONInstruction", { enumerable: true, get: function () { return jsonInstruction_1.JSONInstruction; } });
		var label_1 = requireLabel();
		Object.defineProperty(exports, "Label", { enumerable: true, get: function () { return label_1.Label; } });
		var modifiableInstruction_1 = requireModifiableInstruction();
		Object.defineProperty(exports, "ModifiableInstruction", { enumerable: true, get: function () { return modifiableInstruction_1.ModifiableInstruction; } });
		var onbuild_1 = requireOnbuild();
		Object.defineProperty(exports, "Onbuild", { enumerable: true, get: function () { return onbuild_1.Onbuild; } });
		var propertyInstruction_1 = requirePropertyInstruction();
		Object.defineProperty(exports, "PropertyInstruction", { enumerable: true, get: function () { return propertyInstruction_1.PropertyInstruction; } });
		var run_1 = requireRun();
		Object.defineProperty(exports, "Run", { enumerable: true, get: function () { return run_1.Run; } });
		var shell_1 = requireShell();
		Object.defineProperty(exports, "Shell", { enumerable: true, get: function () { return shell_1.Shell; } });
		var stopsignal_1 = requireStopsignal();
		Object.defineProperty(exports, "Stopsignal", { enumerable: true, get: function () { return stopsignal_1.Stopsignal; } });
		var user_1 = requireUser();
		Object.defineProperty(exports, "User", { enumerable: true, get: function () { return user_1.User; } });
		var volume_1 = requireVolume();
		Object.defineProperty(exports, "Volume", { enumerable: true, get: function () { return volume_1.Volume; } });
		const workdir_1 = requireWorkdir();
		Object.defineProperty(exports, "Workdir", { enumerable: true, get: function () { return workdir_1.Workdir; } });
		var Keyword;
		(function (Keyword) {
		    Keyword["ADD"] = "ADD";
		    Keyword["ARG"] = "ARG";
		    Keyword["CMD"] = "CMD";
		    Keyword["COPY"] = "COPY";
		    Keyword["ENTRYPOINT"] = "ENTRYPOINT";
		    Keyword["ENV"] = "ENV";
		    Keyword["EXPOSE"] = "EXPOSE";
		    Keyword["FROM"] = "FROM";
		    Keyword["HEALTHCHECK"] = "HEALTHCHECK";
		    Keyword["LABEL"] = "LABEL";
		    Keyword["MAINTAINER"] = "MAINTAINER";
		    Keyword["ONBUILD"] = "ONBUILD";
		    Keyword["RUN"] = "RUN";
		    Keyword["SHELL"] = "SHELL";
		    Keyword["STOPSIGNAL"] = "STOPSIGNAL";
		    Keyword["USER"] = "USER";
		    Keyword["VOLUME"] = "VOLUME";
		    Keyword["WORKDIR"] = "WORKDIR";
		})(Keyword || (exports.Keyword = Keyword = {}));
		var Directive;
		(function (Directive) {
		    Directive["escape"] = "escape";
		    Directive["syntax"] = "syntax";
		})(Directive || (exports.Directive = Directive = {}));
		exports.DefaultVariables = [
		    "ALL_PROXY", "all_proxy",
		    "FTP_PROXY", "ftp_proxy",
		    "HTTP_PROXY", "http_proxy",
		    "HTTPS_PROXY", "https_proxy",
		    "NO_PROXY", "no_proxy"
		];
		var DockerfileParser;
		(function (DockerfileParser) {
		    function parse(content) {
		        let parser = new parser_1.Parser();
		        return parser.parse(content);
		    }
		    DockerfileParser.parse = parse;
		})(DockerfileParser || (exports.DockerfileParser = DockerfileParser = {})); 
	} (main$2));
	return main$2;
}

var mainExports = requireMain();

// Base image references: parsing and what we know about well-known images (toolchains, heavy variants).
/** Parses `[registry/]repo[:tag][@digest]`; undefined for empty text or unresolved variables. */
function parseImageRef(raw) {
    const text = raw.trim();
    if (!text || text.includes('$'))
        return undefined;
    let rest = text;
    let digest;
    const at = rest.indexOf('@');
    if (at !== -1) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let registry;
    const slash = rest.indexOf('/');
    if (slash !== -1) {
        const first = rest.slice(0, slash);
        if (first.includes('.') || first.includes(':') || first === 'localhost') {
            registry = first.toLowerCase();
            rest = rest.slice(slash + 1);
        }
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon !== -1 && !rest.slice(colon).includes('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    let repository = rest.toLowerCase();
    if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = undefined;
    if (!registry && repository.startsWith('library/'))
        repository = repository.slice('library/'.length);
    if (!repository)
        return undefined;
    return { raw: text, registry, repository, tag, digest };
}
/** `registry/repository` for matching, e.g. `mcr.microsoft.com/dotnet/sdk`, `golang`. */
const fullName = (ref) => (ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository);
const lastSegment = (ref) => ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
// Images whose purpose is building: compilers, SDKs, build tools. Matched on the last path segment unless the
// entry has a slash (then on the full name).
const TOOLCHAIN_IMAGES = new Set([
    'golang', 'rust', 'maven', 'gradle', 'gcc', 'buildpack-deps', 'sbt', 'haskell', 'swift', 'clojure', 'leiningen',
    'mcr.microsoft.com/dotnet/sdk', 'mcr.microsoft.com/dotnet/core/sdk', 'microsoft/dotnet', 'dotnet/sdk'
]);
// JDK distributions whose default tags are JDKs; a `jre` tag is a runtime.
const JDK_DISTRIBUTIONS = new Set(['eclipse-temurin', 'amazoncorretto', 'sapmachine', 'ibm-semeru-runtimes', 'openjdk']);
/** Why the image is a toolchain (`golang`, `JDK`), or undefined when it is not one we know. */
function toolchainKind(ref) {
    const name = fullName(ref);
    const last = lastSegment(ref);
    const tag = (ref.tag ?? '').toLowerCase();
    const jre = /(^|[-_.])jre($|[-_.\d])/.test(tag) || last.includes('jre');
    if (JDK_DISTRIBUTIONS.has(last))
        return jre ? undefined : 'a JDK';
    if (/(^|[-_.])jdk($|[-_.\d])/.test(tag) || /jdk/.test(last))
        return jre ? undefined : 'a JDK';
    if (TOOLCHAIN_IMAGES.has(name))
        return name;
    if (TOOLCHAIN_IMAGES.has(last) && !ref.registry)
        return last;
    if (name.startsWith('cimg/') || name.startsWith('circleci/'))
        return 'a CI build image';
    if (/^mcr\.microsoft\.com\/(vscode\/)?devcontainers\//.test(name))
        return 'a dev container image';
    return undefined;
}
// Official images with a slim/alpine variant, and the variant to suggest.
const HEAVY_WITH_VARIANT = {
    node: 'node:<version>-slim, node:<version>-alpine or gcr.io/distroless/nodejs',
    python: 'python:<version>-slim or python:<version>-alpine',
    ruby: 'ruby:<version>-slim or ruby:<version>-alpine',
    perl: 'perl:<version>-slim',
    php: 'php:<version>-fpm-alpine or php:<version>-cli-alpine',
    debian: 'debian:<release>-slim or gcr.io/distroless/base-debian12',
    nginx: 'nginx:<version>-alpine',
    httpd: 'httpd:<version>-alpine',
    redis: 'redis:<version>-alpine',
    postgres: 'postgres:<version>-alpine',
    elixir: 'elixir:<version>-alpine',
    erlang: 'erlang:<version>-alpine'
};
const LIGHT_TAG = /(slim|alpine|distroless|minimal|busybox|micro|tiny)/;
/** The lighter variant to suggest when the image is a full distro/runtime image that has one. */
function lighterVariant(ref) {
    if (ref.registry)
        return undefined;
    const suggestion = HEAVY_WITH_VARIANT[ref.repository];
    if (!suggestion)
        return undefined;
    if (ref.tag && LIGHT_TAG.test(ref.tag.toLowerCase()))
        return undefined;
    return suggestion;
}
/** Images known to run as a non-root user by default. */
function isKnownNonRoot(ref) {
    const tag = (ref.tag ?? '').toLowerCase();
    return /(^|[-_.])nonroot($|[-_.])/.test(tag) || /nonroot/.test(ref.repository);
}

// A small POSIX-shell word splitter for RUN scripts. The linter only needs simple commands (argv arrays) and
// their redirection targets, not a full shell grammar; no maintained npm parser is installed, and the usual
// ones (shell-quote) lose command boundaries inside `$(…)` the same way this does. Unbalanced quotes or
// parentheses never throw: the rest of the script becomes one word.
const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
// Words that start a compound command or negate; the command that follows is the interesting one.
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'exec', 'command', 'nohup']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Splits a script into simple commands. Never throws. */
function parseShell(script) {
    const commands = [];
    let words = [];
    let redirects = [];
    let pendingRedirect;
    let word = '';
    let inWord = false;
    let i = 0;
    const n = script.length;
    const endWord = () => {
        if (!inWord)
            return;
        if (pendingRedirect !== undefined) {
            redirects.push({ op: pendingRedirect, target: word });
            pendingRedirect = undefined;
        }
        else {
            words.push(word);
        }
        word = '';
        inWord = false;
    };
    const endCommand = () => {
        endWord();
        pendingRedirect = undefined;
        if (words.length > 0 || redirects.length > 0)
            commands.push(makeCommand(words, redirects));
        words = [];
        redirects = [];
    };
    // Skips a balanced `$(…)` / `${…}` / backtick span starting at i, appending it verbatim to the word.
    const takeBalanced = (open, close) => {
        let depth = 0;
        const start = i;
        while (i < n) {
            const c = script[i];
            if (c === '\\') {
                i += 2;
                continue;
            }
            if (c === open)
                depth++;
            else if (c === close) {
                depth--;
                if (depth === 0) {
                    i++;
                    break;
                }
            }
            i++;
        }
        word += script.slice(start, i);
    };
    while (i < n) {
        const c = script[i];
        if (c === '\\') {
            if (script[i + 1] === '\n') {
                i += 2; // line continuation
                continue;
            }
            if (i + 1 < n)
                word += script[i + 1];
            inWord = true;
            i += 2;
            continue;
        }
        if (c === "'") {
            const end = script.indexOf("'", i + 1);
            const stop = end === -1 ? n : end;
            word += script.slice(i + 1, stop);
            inWord = true;
            i = stop + 1;
            continue;
        }
        if (c === '"') {
            i++;
            while (i < n && script[i] !== '"') {
                if (script[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(script[i + 1])) {
                    if (script[i + 1] !== '\n')
                        word += script[i + 1];
                    i += 2;
                    continue;
                }
                if (script[i] === '$' && script[i + 1] === '(') {
                    i++;
                    word += '$';
                    takeBalanced('(', ')');
                    continue;
                }
                word += script[i++];
            }
            i++;
            inWord = true;
            continue;
        }
        if (c === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
            word += '$';
            i++;
            takeBalanced(script[i], script[i] === '(' ? ')' : '}');
            inWord = true;
            continue;
        }
        if (c === '`') {
            const end = script.indexOf('`', i + 1);
            const stop = end === -1 ? n : end + 1;
            word += script.slice(i, stop);
            inWord = true;
            i = stop;
            continue;
        }
        if (c === '#' && !inWord) {
            while (i < n && script[i] !== '\n')
                i++;
            continue;
        }
        if (c === '>' || c === '<') {
            // `2>`, `>>`, `&>`, `>&2`, `<<<`: a redirection; a leading fd number belongs to it, not to the words.
            if (inWord && /^\d+$/.test(word)) {
                word = '';
                inWord = false;
            }
            else
                endWord();
            let op = c;
            i++;
            while (i < n && (script[i] === '>' || script[i] === '<' || script[i] === '&' || script[i] === '|'))
                op += script[i++];
            if (op.endsWith('&') && /\d|-/.test(script[i] ?? '')) {
                while (i < n && /[\d-]/.test(script[i]))
                    i++; // `>&2`: a duplication, no file target
                continue;
            }
            pendingRedirect = op;
            continue;
        }
        if (c === '&' && script[i + 1] === '>') {
            endWord();
            i += 2;
            let op = '&>';
            if (script[i] === '>') {
                op += '>';
                i++;
            }
            pendingRedirect = op;
            continue;
        }
        if (OPERATOR_CHARS.has(c)) {
            endCommand();
            i++;
            continue;
        }
        if (c === ' ' || c === '\t' || c === '\r') {
            endWord();
            i++;
            continue;
        }
        word += c;
        inWord = true;
        i++;
    }
    endCommand();
    return commands;
}
function makeCommand(words, redirects) {
    let k = 0;
    const assignments = [];
    // Strip wrappers until the real program: `DEBIAN_FRONTEND=x sudo -E env A=b apt-get …`.
    for (;;) {
        const w = words[k];
        if (w === undefined)
            break;
        if (ASSIGNMENT.test(w)) {
            assignments.push(w);
            k++;
        }
        else if (LEADING_KEYWORDS.has(w))
            k++;
        else if (w === 'sudo' || w === 'env' || w === 'nice' || w === 'xargs') {
            k++;
            while (words[k]?.startsWith('-')) {
                // `sudo -u user`, `env -u VAR`: options with a value.
                if (/^-(u|g|n)$/.test(words[k]) && words[k + 1] !== undefined)
                    k++;
                k++;
            }
        }
        else
            break;
    }
    let args = words.slice(k);
    let name = args.length > 0 ? basename(args[0]) : '';
    // `python3 -m pip install …` is pip.
    if (/^python[\d.]*$/.test(name) && args[1] === '-m' && args[2] !== undefined) {
        args = args.slice(2);
        name = args[0];
    }
    return { words, args, name, redirects, assignments };
}
const basename = (p) => p.slice(p.lastIndexOf('/') + 1);
/** The first positional argument after the program (`apt-get -y install x` → `install`); skips `-o value`. */
function subcommand(cmd, optionsWithValue = new Set(['-o', '-c', '-C', '-f', '--file', '--prefix', '--cwd', '--dir'])) {
    for (let k = 1; k < cmd.args.length; k++) {
        const a = cmd.args[k];
        if (optionsWithValue.has(a)) {
            k++;
            continue;
        }
        if (!a.startsWith('-'))
            return a;
    }
    return undefined;
}
/** Positional arguments after the subcommand. */
function positionalsAfter(cmd, sub) {
    const idx = cmd.args.indexOf(sub);
    const out = [];
    for (let k = idx + 1; k < cmd.args.length; k++) {
        const a = cmd.args[k];
        if (a.startsWith('-')) {
            // `-r file`, `-c constraints`, `--target dir`: the value is not a package.
            if (/^(-r|--requirement|-c|--constraint|-e|--editable|-t|--target|-i|--index-url|--extra-index-url|--prefix|--root|--cache-dir|-w|--workspace|--filter|-C)$/.test(a))
                k++;
            continue;
        }
        out.push(a);
    }
    return out;
}
const hasFlag = (cmd, ...flags) => cmd.args.some((a) => flags.some((f) => a === f || a.startsWith(f + '=')));

// The Dockerfile as the rules see it: stages (with which ones ship), and steps with their parsed RUN scripts,
// COPY sources and mounts. Built once per lint from dockerfile-ast; rules never touch the AST for anything
// this model already answers.
const WHITESPACE = /\s+/g;
const normalisedText = (keyword, flags, args) => [keyword.toUpperCase(), ...flags.map((f) => f.toString()), args].join(' ').replace(WHITESPACE, ' ').trim();
function flagsOf(instr) {
    return 'getFlags' in instr && typeof instr.getFlags === 'function' ? instr.getFlags() : [];
}
function parseMount(value) {
    const mount = { type: 'bind' };
    for (const part of (value ?? '').split(',')) {
        const eq = part.indexOf('=');
        const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
        const val = eq === -1 ? '' : part.slice(eq + 1).trim();
        if (key === 'type')
            mount.type = val.toLowerCase();
        else if (key === 'target' || key === 'dst' || key === 'destination')
            mount.target = val;
        else if (key === 'id')
            mount.id = val;
    }
    return mount;
}
const HEREDOC_MARKER = /<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g;
const SHELLS = new Set(['', 'sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/env bash', 'set -e', 'set -ex', 'set -eux']);
function runInfo(instr, flags, content) {
    const mounts = flags.filter((f) => f.getName().toLowerCase() === 'mount').map((f) => parseMount(f.getValue()));
    const otherFlags = flags.filter((f) => f.getName().toLowerCase() !== 'mount').map((f) => f.toString());
    let script = content;
    const trimmed = content.trim();
    if (trimmed.startsWith('[')) {
        // Exec form. dockerfile-ast's JSON strings drop spaces inside values, so parse the JSON ourselves.
        try {
            const argv = JSON.parse(trimmed);
            if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
                const words = argv;
                const shellC = /(^|\/)(ba|da|a|z)?sh$/.test(words[0] ?? '') && words[1] === '-c';
                script = shellC ? (words[2] ?? '') : words.map((w) => (/[\s'"]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
            }
        }
        catch {
            // Not valid JSON: Docker runs it as a shell command, so do we.
        }
    }
    else if (content.includes('<<')) {
        // Run exposes getHeredocs(); the base Instruction type keeps it protected.
        const heredocs = instr.getHeredocs();
        if (heredocs.length > 0) {
            const firstLine = content.split('\n', 1)[0];
            const command = firstLine.replace(HEREDOC_MARKER, '').trim();
            const lines = content.split('\n');
            // The heredoc body is the script when it is fed to a shell; `RUN python3 <<EOF` runs python, not sh.
            if (SHELLS.has(command) || /^(ba|da|a)?sh(\s|$)/.test(command)) {
                const startLine = instr.getRange().start.line;
                const bodies = heredocs
                    .map((h) => h.getContentRange())
                    .filter((r) => r !== null)
                    .map((r) => lines.slice(r.start.line - startLine, r.end.line - startLine + 1).join('\n'));
                script = [command, ...bodies].join('\n');
            }
            else {
                script = command;
            }
        }
    }
    return { script, commands: parseShell(script), mounts, otherFlags };
}
function splitCopyArgs(rawContent) {
    const content = rawContent.trim();
    if (content.startsWith('[')) {
        try {
            const argv = JSON.parse(content);
            if (Array.isArray(argv) && argv.every((a) => typeof a === 'string'))
                return { args: argv, heredoc: false };
        }
        catch {
            // fall through to word splitting
        }
    }
    const heredoc = /^<<|\s<</.test(content.split('\n', 1)[0]);
    const firstLine = heredoc ? content.split('\n', 1)[0] : content;
    return { args: firstLine.split(WHITESPACE).filter(Boolean), heredoc };
}
function copyInfo(flags, content) {
    const { args, heredoc } = splitCopyArgs(content);
    const from = flags.find((f) => f.getName().toLowerCase() === 'from')?.getValue() ?? undefined;
    const sources = heredoc ? [] : args.slice(0, -1);
    const dest = args.length > 0 ? args[args.length - 1] : undefined;
    const wholeContext = !from && !heredoc && sources.some((s) => /^(\.|\.\/|\.\/\.|\/)$/.test(s) || s === './*' || s === '*');
    return { sources, dest, from, heredoc, wholeContext };
}
/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` with global ARG defaults. Unknown variables stay. */
function substitute(text, vars) {
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, fallback, bare) => {
        const name = (braced ?? bare);
        const value = vars.get(name);
        if (value !== undefined && value !== '')
            return value;
        if (fallback !== undefined && /:-|-/.test(whole))
            return fallback;
        return whole;
    });
}
function makeStep(instr, stage) {
    const range = instr.getRange();
    const keyword = instr.getKeyword().toUpperCase();
    const flags = flagsOf(instr);
    const args = instr.getArgumentsContent() ?? '';
    const step = {
        instruction: instr,
        keyword,
        stage,
        line: range.start.line + 1,
        column: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
        text: normalisedText(keyword, flags, args),
        flags,
        args
    };
    if (keyword === 'RUN')
        step.run = runInfo(instr, flags, args);
    else if (keyword === 'COPY' || keyword === 'ADD')
        step.copy = copyInfo(flags, args);
    else if (keyword === 'ENV' || keyword === 'ARG') {
        step.properties = instr
            .getProperties()
            .map((p) => ({ name: p.getName(), value: p.getValue(), range: p.getRange() }));
    }
    return step;
}
/** Parses the Dockerfile and resolves stages. An unknown `target` is a UserError listing the stages. */
function buildModel(file, source, target) {
    const df = mainExports.DockerfileParser.parse(source);
    const stages = [];
    const globalSteps = [];
    const steps = [];
    const globalArgs = new Map();
    let current;
    for (const instr of df.getInstructions()) {
        const keyword = instr.getKeyword().toUpperCase();
        if (keyword === 'FROM') {
            const step = makeStep(instr, undefined);
            const from = instr;
            const baseText = substitute(from.getImage() ?? '', globalArgs);
            const stageName = from.getBuildStage()?.toLowerCase() ?? undefined;
            const parent = stages.find((s) => s.name !== undefined && s.name === baseText.toLowerCase());
            current = {
                index: stages.length,
                name: stageName,
                label: stageName ?? String(stages.length),
                fromStep: step,
                baseText,
                parent,
                baseImage: parent ? undefined : parseImageRef(baseText),
                steps: [step],
                shipped: false
            };
            step.stage = current;
            stages.push(current);
            steps.push(step);
            continue;
        }
        const step = makeStep(instr, current);
        steps.push(step);
        if (current)
            current.steps.push(step);
        else {
            globalSteps.push(step);
            if (keyword === 'ARG') {
                for (const prop of step.properties ?? [])
                    globalArgs.set(prop.name, prop.value ?? '');
            }
        }
    }
    let finalStage = stages[stages.length - 1];
    if (target !== undefined) {
        finalStage = stages.find((s) => s.name === target.toLowerCase());
        if (!finalStage) {
            const names = stages.map((s) => s.name).filter((n) => n !== undefined);
            throw new UserError(`Build target '${target}' is not a stage of ${file}. ` +
                (names.length > 0 ? `Its named stages are: ${names.join(', ')}.` : 'It has no named stages (add `AS <name>` to a FROM line).') +
                ' Set target to one of them or leave it empty to build the last stage.');
        }
    }
    for (let s = finalStage; s; s = s.parent)
        s.shipped = true;
    const comments = df.getComments().map((c) => ({ line: c.getRange().start.line + 1, text: c.getContent() }));
    const lineStarts = [0];
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1))
        lineStarts.push(i + 1);
    return {
        file,
        source,
        lineStarts,
        stages,
        globalSteps,
        steps,
        finalStage,
        escapeChar: df.getEscapeCharacter(),
        hasSyntaxDirective: df.getDirectives().some((d) => d.getName().toLowerCase() === 'syntax'),
        comments
    };
}
/** The stage chain from `stage` up to the one built FROM an image: [stage, parent, grandparent…]. */
function stageChain(stage) {
    const chain = [];
    for (let s = stage; s && !chain.includes(s); s = s.parent)
        chain.push(s);
    return chain;
}
const stageEndEnv = new WeakMap();
/** ENV values in effect at the end of a stage, inherited from the stages it is built FROM (memoised). */
function envAtEnd(stage, seen = new Set()) {
    const cached = stageEndEnv.get(stage);
    if (cached)
        return cached;
    seen.add(stage);
    const env = stage.parent && !seen.has(stage.parent) ? new Map(envAtEnd(stage.parent, seen)) : new Map();
    for (const s of stage.steps)
        for (const p of s.properties && s.keyword === 'ENV' ? s.properties : [])
            env.set(p.name, p.value ?? '');
    stageEndEnv.set(stage, env);
    return env;
}
/** ENV values in effect just before `step` (inherited from parent stages). */
function envBefore(step) {
    const stage = step.stage;
    if (!stage)
        return new Map();
    const env = stage.parent ? new Map(envAtEnd(stage.parent, new Set([stage]))) : new Map();
    for (const s of stage.steps) {
        if (s === step)
            break;
        if (s.keyword === 'ENV')
            for (const p of s.properties ?? [])
                env.set(p.name, p.value ?? '');
    }
    return env;
}
/** 1-based line and column of an offset inside the source. */
function positionAt(model, offset) {
    let lo = 0;
    let hi = model.lineStarts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (model.lineStarts[mid] <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return { line: lo + 1, column: offset - model.lineStarts[lo] + 1 };
}
/** Offset of a 1-based line/column in the source. */
function offsetOf(model, line, column) {
    const start = model.lineStarts[line - 1];
    return start === undefined ? model.source.length : start + column - 1;
}

const shippedStages = (model) => model.stages.filter((s) => s.shipped);
const runSteps = (stage) => stage.steps.filter((s) => s.run !== undefined);
const commandsOf = (step) => step.run?.commands ?? [];
const isAptInstall = (cmd) => (cmd.name === 'apt-get' || cmd.name === 'apt' || cmd.name === 'aptitude') && subcommand(cmd) === 'install';
const isAptUpdate = (cmd) => (cmd.name === 'apt-get' || cmd.name === 'apt') && subcommand(cmd) === 'update';
const isApkAdd = (cmd) => cmd.name === 'apk' && subcommand(cmd) === 'add';
/** A cache mount on the step whose target contains one of the hints (a target with a variable counts). */
function cacheMountCovers(step, hints) {
    return step.run?.mounts.find((m) => m.type === 'cache' && m.target !== undefined && (m.target.includes('$') || hints.some((h) => m.target?.includes(h))));
}
/** `rm`/`find -delete` arguments in the step that mention one of the paths. */
function removesPath(step, fragments) {
    return commandsOf(step).some((c) => (c.name === 'rm' || c.name === 'find') && c.args.slice(1).some((a) => fragments.some((f) => a.includes(f))));
}
/** Error where the stage ships, a step lower elsewhere. */
const stageSeverity = (step, shipped, other) => (step.stage?.shipped ? shipped : other);
function hitRange(range) {
    if (!range)
        return undefined;
    return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}
/** First whole-context COPY/ADD (`COPY . .`) in the file. */
const firstWholeContextCopy = (model) => model.steps.find((s) => s.copy?.wholeContext);
const lineSpan = (a, b) => (a.line === b.line ? `line ${a.line}` : `lines ${a.line}–${b.endLine}`);

const aptNoInstallRecommends = {
    meta: {
        id: 'apt-no-install-recommends',
        category: 'lint',
        defaultSeverity: 'info',
        shortDescription: 'apt-get install pulls recommended packages into the shipped image',
        fullDescription: 'Without `--no-install-recommends`, apt installs every "recommended" package too, often doubling what lands in the image. Only stages that ship are checked.',
        help: 'Add the flag: `apt-get install -y --no-install-recommends <packages>`, then add back any recommended package the application really needs.',
        tags: ['size']
    },
    check({ model }) {
        const hits = [];
        for (const stage of shippedStages(model)) {
            for (const step of runSteps(stage)) {
                const bad = commandsOf(step).some((c) => isAptInstall(c) && !c.args.some((a) => a === '--no-install-recommends' || /Install-Recommends=(false|0|no)/i.test(a)));
                if (bad) {
                    hits.push({ step, message: 'apt-get install without --no-install-recommends also installs recommended packages the image rarely needs; add --no-install-recommends.' });
                }
            }
        }
        return hits;
    }
};

const aptUpdateAlone = {
    meta: {
        id: 'apt-update-alone',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: '`apt-get update` runs in a RUN without an install',
        fullDescription: 'The layer with `apt-get update` is cached on its own: later builds reuse stale package lists and a later `apt-get install` fails or installs outdated versions. The lists also ship in that layer.',
        help: 'Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`.',
        tags: ['cache', 'reproducibility']
    },
    check({ model }) {
        const hits = [];
        for (const step of model.steps) {
            const cmds = commandsOf(step);
            if (!cmds.some(isAptUpdate))
                continue;
            const installs = cmds.some((c) => (c.name === 'apt-get' || c.name === 'apt' || c.name === 'aptitude') && ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'].includes(subcommand(c) ?? ''));
            if (!installs)
                hits.push({ step, message: 'apt-get update runs without an install in the same RUN, so its cached layer serves stale package lists to later installs; update and install in one RUN.' });
        }
        return hits;
    }
};

// Commands that only delete files or caches.
function isCleanup(cmd) {
    const sub = subcommand(cmd);
    switch (cmd.name) {
        case 'rm':
        case 'rmdir':
            return true;
        case 'find':
            return cmd.args.includes('-delete') || (cmd.args.includes('-exec') && cmd.args.includes('rm'));
        case 'apt-get':
        case 'apt':
            return ['clean', 'autoclean', 'autoremove', 'purge', 'remove'].includes(sub ?? '');
        case 'apk':
            return sub === 'del' || (sub === 'cache' && cmd.args.includes('clean'));
        case 'yum':
        case 'dnf':
        case 'microdnf':
            return sub === 'clean' || sub === 'remove' || sub === 'autoremove';
        case 'npm':
        case 'yarn':
        case 'pnpm':
            return sub === 'cache' || (cmd.name === 'pnpm' && sub === 'store' && cmd.args.includes('prune'));
        case 'pip':
        case 'pip3':
            return sub === 'cache';
        case 'conda':
            return sub === 'clean';
        default:
            return false;
    }
}
// Commands that neither create nor delete files.
const NEUTRAL = new Set(['set', 'true', ':', 'cd', 'echo', 'exit']);
const cleanupInSeparateLayer = {
    meta: {
        id: 'cleanup-in-separate-layer',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'A RUN only deletes files an earlier layer added, which saves nothing',
        fullDescription: 'Layers are additive: deleting files in a later RUN hides them but the earlier layer still ships them, so the image gets no smaller (it gets a layer bigger). Only stages that ship are checked.',
        help: 'Move the cleanup into the RUN that creates the files:\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n```',
        tags: ['size']
    },
    check({ model }) {
        const hits = [];
        for (const stage of shippedStages(model)) {
            for (const step of runSteps(stage)) {
                // Deleting inside a cache or bind mount is not deleting from a layer.
                if ((step.run?.mounts.length ?? 0) > 0)
                    continue;
                const cmds = commandsOf(step).filter((c) => c.args.length > 0);
                if (cmds.length === 0 || !cmds.some(isCleanup))
                    continue;
                if (cmds.every((c) => isCleanup(c) || (NEUTRAL.has(c.name) && !c.redirects.some((r) => r.op.includes('>') && r.target !== '/dev/null')))) {
                    hits.push({
                        step,
                        message: `This RUN only removes files that earlier layers already ship, so the image does not shrink; do the cleanup in the RUN that creates those files.`
                    });
                }
            }
        }
        return hits;
    }
};

// RUNs with different mounts or network/security settings cannot be merged without changing what they do.
const flagSignature = (step) => step.flags.map((f) => f.toString()).sort().join(' ');
const consecutiveRun = {
    meta: {
        id: 'consecutive-run',
        category: 'lint',
        defaultSeverity: 'info',
        shortDescription: 'Consecutive RUN instructions in the shipped image could be one',
        fullDescription: 'Each RUN makes a layer. Consecutive RUNs with the same flags can usually be joined with `&&`, which gives fewer layers and lets a later command clean up what an earlier one created. Only stages that ship are checked.',
        help: 'Join them:\n\n```dockerfile\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n```\nKeep them apart only when you want separate cache points.',
        tags: ['size', 'layers']
    },
    check({ model }) {
        const hits = [];
        for (const stage of shippedStages(model)) {
            let group = [];
            const flush = () => {
                if (group.length > 1) {
                    const first = group[0];
                    const last = group[group.length - 1];
                    hits.push({
                        step: first,
                        range: { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn },
                        message: `${group.length} consecutive RUN instructions (${lineSpan(first, last)}) make ${group.length} layers; join them with && into one RUN.`,
                        details: { count: group.length, lastLine: last.endLine }
                    });
                }
                group = [];
            };
            for (const step of stage.steps) {
                if (step.keyword !== 'RUN') {
                    flush();
                    continue;
                }
                if (group.length > 0 && flagSignature(group[0]) !== flagSignature(step))
                    flush();
                group.push(step);
            }
            flush();
        }
        return hits;
    }
};

const copySecretFile = {
    meta: {
        id: 'copy-secret-file',
        category: 'lint',
        defaultSeverity: 'error',
        shortDescription: 'COPY/ADD puts a credential file into a layer',
        fullDescription: 'Files such as `.npmrc`, `.env`, SSH keys, `*.pem`/`*.key`, `.netrc`, `.pypirc`, `.git-credentials`, `.aws/` or credential JSON copied into the image stay in that layer for anyone who pulls it, even if a later step deletes them. Error in stages that ship, warning in build stages (their layers still reach build caches).',
        help: 'Mount the file only for the RUN that needs it:\n\n```dockerfile\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```\nBuild with `docker buildx build --secret id=npmrc,src=$HOME/.npmrc .`',
        tags: ['security', 'secret']
    },
    check({ model }) {
        const hits = [];
        for (const step of model.steps) {
            if (!step.copy || step.copy.heredoc)
                continue;
            for (const source of step.copy.sources) {
                const kind = secretFileKind(source);
                if (!kind)
                    continue;
                hits.push({
                    step,
                    key: source,
                    severity: stageSeverity(step, 'error', 'warning'),
                    message: `${step.keyword} ${source} puts ${kind} into a layer${step.stage?.shipped ? ' of the image' : ` of build stage ${step.stage?.label ?? ''}`}; mount it with RUN --mount=type=secret for the step that needs it instead.`,
                    details: { source, kind }
                });
            }
        }
        return hits;
    }
};

// Package managers as the rules see them: which commands install, from a manifest or not, and where each
// keeps its download cache.
/** Recognises a language dependency install (or a build that downloads dependencies). */
function dependencyInstall(cmd) {
    const name = cmd.name;
    const sub = subcommand(cmd);
    switch (name) {
        case 'npm':
            if (sub === 'ci')
                return { manager: 'npm', fromManifest: true };
            if (sub === 'install' || sub === 'i' || sub === 'add') {
                return { manager: 'npm', fromManifest: positionalsAfter(cmd, sub).length === 0 && !hasFlag(cmd, '-g', '--global') };
            }
            return undefined;
        case 'yarn':
            if (sub === undefined || sub === 'install')
                return { manager: 'yarn', fromManifest: true };
            if (sub === 'add' || sub === 'global')
                return { manager: 'yarn', fromManifest: false };
            return undefined;
        case 'pnpm':
            if (sub === 'install' || sub === 'i' || sub === 'fetch')
                return { manager: 'pnpm', fromManifest: true };
            if (sub === 'add')
                return { manager: 'pnpm', fromManifest: false };
            return undefined;
        case 'pip':
        case 'pip3':
            if (sub !== 'install')
                return undefined;
            return {
                manager: 'pip',
                fromManifest: hasFlag(cmd, '-r', '--requirement') || positionalsAfter(cmd, sub).some((p) => p === '.' || p.startsWith('./') || p === '-e')
            };
        case 'poetry':
            return sub === 'install' || sub === 'sync' ? { manager: 'poetry', fromManifest: true } : undefined;
        case 'pipenv':
            return sub === 'install' || sub === 'sync' ? { manager: 'pipenv', fromManifest: true } : undefined;
        case 'uv':
            if (sub === 'sync')
                return { manager: 'uv', fromManifest: true };
            if (sub === 'pip' && cmd.args.includes('install'))
                return { manager: 'uv', fromManifest: hasFlag(cmd, '-r', '--requirement') };
            return undefined;
        case 'go':
            if (sub === 'mod' && cmd.args.includes('download'))
                return { manager: 'go', fromManifest: true };
            if (sub === 'build' || sub === 'install')
                return { manager: 'go', fromManifest: false };
            return undefined;
        case 'mvn':
        case 'mvnw':
            return cmd.args.slice(1).some((a) => /^(dependency:|package$|install$|verify$|compile$|test$)/.test(a))
                ? { manager: 'maven', fromManifest: true }
                : undefined;
        case 'gradle':
        case 'gradlew':
            return cmd.args.length > 1 ? { manager: 'gradle', fromManifest: true } : undefined;
        case 'cargo':
            return sub === 'build' || sub === 'fetch' ? { manager: 'cargo', fromManifest: true } : sub === 'install' ? { manager: 'cargo', fromManifest: false } : undefined;
        case 'bundle':
        case 'bundler':
            return sub === 'install' ? { manager: 'bundler', fromManifest: true } : undefined;
        case 'composer':
            return sub === 'install' ? { manager: 'composer', fromManifest: true } : undefined;
        default:
            return undefined;
    }
}
/** Substrings of a cache mount target that cover each manager's download cache. */
const CACHE_PATH_HINTS = {
    npm: ['.npm', 'npm'],
    yarn: ['yarn'],
    pnpm: ['pnpm'],
    pip: ['pip', '/.cache'],
    poetry: ['pypoetry', '/.cache'],
    pipenv: ['pipenv', 'pip', '/.cache'],
    uv: ['uv', '/.cache'],
    go: ['/go/pkg', 'go-build', 'gomod', '/.cache'],
    maven: ['.m2'],
    gradle: ['.gradle'],
    cargo: ['cargo', 'registry'],
    bundler: ['bundle', 'gem'],
    composer: ['composer']
};
/** Example cache mount target to suggest. */
const CACHE_MOUNT_EXAMPLE = {
    npm: '/root/.npm',
    yarn: '/usr/local/share/.cache/yarn',
    pnpm: '/root/.local/share/pnpm/store',
    pip: '/root/.cache/pip',
    poetry: '/root/.cache/pypoetry',
    pipenv: '/root/.cache/pipenv',
    uv: '/root/.cache/uv',
    go: '/go/pkg/mod',
    maven: '/root/.m2',
    gradle: '/root/.gradle',
    cargo: '/usr/local/cargo/registry',
    bundler: '/usr/local/bundle/cache',
    composer: '/tmp/cache'
};
// Files that declare dependencies; copying only these first keeps the install layer cached.
const MANIFEST_FILE = new RegExp('^(package(-lock)?\\.json|package\\*\\.json|npm-shrinkwrap\\.json|yarn\\.lock|\\.yarnrc(\\.yml)?|\\.yarn|pnpm-lock\\.yaml|pnpm-workspace\\.yaml|\\.npmrc|' +
    'requirements[^/]*\\.(txt|in)|requirements|pyproject\\.toml|poetry\\.lock|pipfile(\\.lock)?|setup\\.(py|cfg)|uv\\.lock|' +
    'go\\.(mod|sum|work)|pom\\.xml|\\.mvn|mvnw|build\\.gradle(\\.kts)?|settings\\.gradle(\\.kts)?|gradle\\.properties|gradle|gradlew|' +
    'cargo\\.(toml|lock)|gemfile(\\.lock)?|[^/]*\\.gemspec|composer\\.(json|lock)|[^/]*\\.(cs|fs|vb)proj|[^/]*\\.sln|nuget\\.config|' +
    'directory\\.(build|packages)\\.props)$', 'i');
/** True when the path is a dependency manifest or lock file (or a glob of them, `package*.json`). */
function isManifestPath(path) {
    const clean = path.replace(/\/+$/, '');
    const base = clean.slice(clean.lastIndexOf('/') + 1);
    return MANIFEST_FILE.test(base);
}

const depsAfterSource = {
    meta: {
        id: 'deps-after-source',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'The whole source tree is copied before dependencies are installed',
        fullDescription: 'After `COPY . .` any change to any file invalidates the cache of every later step, so the dependency install runs again on every commit even when the manifest did not change.',
        help: 'Copy only the manifest and lock files, install, then copy the rest:\n\n```dockerfile\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n```',
        tags: ['cache', 'build-time']
    },
    check({ model }) {
        const hits = [];
        for (const stage of model.stages) {
            let manifestCopied = false;
            let wholeCopy;
            for (const step of stage.steps) {
                if (step.copy && !step.copy.from && !step.copy.heredoc) {
                    if (step.copy.wholeContext) {
                        if (!manifestCopied && !wholeCopy)
                            wholeCopy = step;
                    }
                    else if (step.copy.sources.some(isManifestPath))
                        manifestCopied = true;
                    continue;
                }
                if (!wholeCopy)
                    continue;
                const install = commandsOf(step)
                    .map(dependencyInstall)
                    .find((d) => d?.fromManifest);
                if (install) {
                    hits.push({
                        step: wholeCopy,
                        message: `${wholeCopy.keyword} of the whole context at line ${wholeCopy.line} comes before the ${install.manager} dependency install at line ${step.line}, so any source change reinstalls every dependency; copy the manifest and lock files first, install, then copy the rest.`,
                        details: { installLine: step.line, manager: install.manager, stage: stage.label }
                    });
                    break;
                }
            }
        }
        return hits;
    }
};

const SHOWN = 5;
const dockerignoreIncomplete = {
    meta: {
        id: 'dockerignore-incomplete',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'The .dockerignore lets through files that never belong in a build',
        fullDescription: 'The build context on disk holds paths the `.dockerignore` does not exclude that a whole-context COPY would put into the image: `.git`, `node_modules`, `.env` files, private keys or credential files. Checked against the files actually present, with Docker\'s matching rules.',
        help: 'Add the listed paths (or patterns such as `.git`, `**/node_modules`, `**/.env*`, `**/*.pem`, `**/id_rsa*`) to the `.dockerignore`.',
        tags: ['security', 'size']
    },
    async check({ model, dockerignore, contextDir, cwd }) {
        const copy = firstWholeContextCopy(model);
        if (!copy || !dockerignore)
            return [];
        const leaked = await findLeakedPaths(contextDir, dockerignore.patterns);
        if (leaked.length === 0)
            return [];
        const file = path.relative(cwd, dockerignore.path) || dockerignore.path;
        const shown = leaked.slice(0, SHOWN).map((l) => l.path).join(', ');
        const more = leaked.length > SHOWN ? ` and ${leaked.length - SHOWN} more` : '';
        return [
            {
                step: copy,
                message: `${file} does not exclude ${shown}${more}, which ${copy.keyword} at line ${copy.line} copies into the build; add them to ${path.basename(file)}.`,
                details: { dockerignore: file, paths: leaked.map((l) => l.path), reasons: Object.fromEntries(leaked.map((l) => [l.path, l.why])) }
            }
        ];
    }
};

const ROOT = /^(root|0)(:.*)?$/;
const finalStageRoot = {
    meta: {
        id: 'final-stage-root',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'The image runs as root',
        fullDescription: 'The shipped stage (including the stages it is built FROM) sets no USER, or its last USER is root. A process that runs as root turns any code-execution bug into root inside the container. Bases known to be non-root (`:nonroot` tags) are not flagged.',
        help: 'Create or pick an unprivileged user and switch to it at the end of the final stage:\n\n```dockerfile\nRUN useradd --system --uid 10001 app\nUSER 10001\n```\nor use a non-root base such as `gcr.io/distroless/static-debian12:nonroot`.',
        tags: ['security']
    },
    check({ model }) {
        if (!model.finalStage)
            return [];
        const chain = stageChain(model.finalStage);
        let lastUser;
        for (const stage of chain) {
            const users = stage.steps.filter((s) => s.keyword === 'USER');
            if (users.length > 0) {
                lastUser = users[users.length - 1];
                break;
            }
        }
        if (lastUser) {
            const user = lastUser.args.trim();
            if (!ROOT.test(user))
                return [];
            return [{ step: lastUser, message: `The last USER of the shipped stage is ${user}, so the container runs as root; switch to an unprivileged user at the end of the final stage.` }];
        }
        const root = chain[chain.length - 1];
        // An unresolved base (`FROM $BASE`) may well set a user; don't guess.
        if (!root.baseImage || isKnownNonRoot(root.baseImage))
            return [];
        return [
            {
                step: model.finalStage.fromStep,
                message: `The shipped stage ${model.finalStage.label} never sets USER, so the container runs as root (the default of ${root.baseImage.raw}); add USER with an unprivileged uid at the end of the stage.`
            }
        ];
    }
};

const finalStageToolchain = {
    meta: {
        id: 'final-stage-toolchain',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'The shipped image is built on an SDK or compiler image',
        fullDescription: 'The stage that becomes the image starts FROM a toolchain image (golang, rust, maven, gradle, a JDK, gcc, buildpack-deps, dotnet/sdk…). Compilers, headers and SDKs then ship with the application: hundreds of megabytes and a larger attack surface.',
        help: 'Build in a toolchain stage and copy only the artefacts into a runtime image:\n\n```dockerfile\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n```',
        tags: ['size', 'security']
    },
    check({ model }) {
        if (!model.finalStage)
            return [];
        const chain = stageChain(model.finalStage);
        const root = chain[chain.length - 1];
        const kind = root.baseImage ? toolchainKind(root.baseImage) : undefined;
        if (!kind || !root.baseImage)
            return [];
        return [
            {
                step: root.fromStep,
                range: hitRange(root.fromStep.instruction.getImageRange()),
                message: `The image ships on ${root.baseImage.raw} (${kind}), so its compilers and SDK ship too; build in that image as a named stage and COPY --from it only the artefacts into a runtime image.`,
                details: { image: root.baseImage.raw, stage: model.finalStage.label }
            }
        ];
    }
};

const heavyFinalBase = {
    meta: {
        id: 'heavy-final-base',
        category: 'lint',
        defaultSeverity: 'info',
        shortDescription: 'The shipped image is built on a full distro image that has a slim variant',
        fullDescription: 'Full images such as `node:20` or `python:3.12` carry a complete Debian with compilers and documentation. Their `-slim`, `-alpine` or distroless variants run the same application in a fraction of the size.',
        help: 'Switch the final stage to the slim variant, e.g. `FROM python:3.12-slim`, and install only the system packages the application needs at run time.',
        tags: ['size']
    },
    check({ model }) {
        if (!model.finalStage)
            return [];
        const chain = stageChain(model.finalStage);
        const root = chain[chain.length - 1];
        const variant = root.baseImage ? lighterVariant(root.baseImage) : undefined;
        if (!variant || !root.baseImage)
            return [];
        return [
            {
                step: root.fromStep,
                range: hitRange(root.fromStep.instruction.getImageRange()),
                message: `The image ships on ${root.baseImage.raw}, a full distribution image; ${variant} would be much smaller.`,
                details: { image: root.baseImage.raw }
            }
        ];
    }
};

const missingCacheMount = {
    meta: {
        id: 'missing-cache-mount',
        category: 'lint',
        defaultSeverity: 'info',
        shortDescription: 'A dependency install downloads everything again on every build',
        fullDescription: 'Without a BuildKit cache mount, every cache miss of the install step downloads all dependencies again. A cache mount keeps the download cache between builds and out of the image.',
        help: 'Mount the package manager cache:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n```',
        tags: ['cache', 'build-time']
    },
    check({ model }) {
        const hits = [];
        for (const step of model.steps) {
            if (!step.run)
                continue;
            const managers = new Set();
            for (const cmd of commandsOf(step)) {
                const install = dependencyInstall(cmd);
                if (install)
                    managers.add(install.manager);
            }
            for (const manager of managers) {
                if (cacheMountCovers(step, CACHE_PATH_HINTS[manager]))
                    continue;
                hits.push({
                    step,
                    key: manager,
                    message: `This ${manager} install has no cache mount, so a cache miss downloads every dependency again; add --mount=type=cache,target=${CACHE_MOUNT_EXAMPLE[manager]} to the RUN.`,
                    details: { manager }
                });
            }
        }
        return hits;
    }
};

const missingDockerignore = {
    meta: {
        id: 'missing-dockerignore',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'The whole context is copied and there is no .dockerignore',
        fullDescription: 'Without a `.dockerignore`, `COPY . .` copies everything in the build context: `.git`, local `node_modules`, `.env` files and keys. It bloats the layer, busts the cache on every change and can ship secrets.',
        help: 'Add a `.dockerignore` next to the build context root (or `<Dockerfile>.dockerignore` next to the Dockerfile):\n\n```\n.git\nnode_modules\n.env*\n*.pem\n*.key\nid_rsa*\n```',
        tags: ['security', 'cache', 'size']
    },
    check({ model, dockerignore, contextDir, cwd }) {
        const copy = firstWholeContextCopy(model);
        if (!copy || dockerignore)
            return [];
        const where = path.relative(cwd, contextDir) || '.';
        return [
            {
                step: copy,
                message: `${copy.keyword} at line ${copy.line} copies the whole build context but ${where} has no .dockerignore, so .git, node_modules and any .env or key files go into the build; add a .dockerignore.`,
                details: { context: where }
            }
        ];
    }
};

// Flags that need a recent Dockerfile frontend (`# syntax=docker/dockerfile:1`).
const MODERN_FLAGS = new Set(['mount', 'network', 'security', 'link', 'parents', 'exclude', 'chmod']);
function modernFeature(step) {
    const flag = step.flags.find((f) => MODERN_FLAGS.has(f.getName().toLowerCase()));
    if (flag && (step.keyword === 'RUN' || step.keyword === 'COPY' || step.keyword === 'ADD'))
        return `${step.keyword} --${flag.getName()}`;
    if ((step.keyword === 'RUN' || step.keyword === 'COPY') && /^\s*([^\n]*\s)?<<-?["']?[A-Za-z_]/.test(step.args)) {
        return `${step.keyword} heredoc`;
    }
    return undefined;
}
const missingSyntaxDirective = {
    meta: {
        id: 'missing-syntax-directive',
        category: 'lint',
        defaultSeverity: 'info',
        shortDescription: 'BuildKit-only features without a `# syntax=` line',
        fullDescription: 'Cache and secret mounts, heredocs, `COPY --link`/`--parents`/`--exclude` need a recent Dockerfile frontend. Without a `# syntax=` line the builder uses whatever frontend it bundles, which may be too old (or the legacy builder, which rejects them).',
        help: 'Make the first line of the Dockerfile `# syntax=docker/dockerfile:1`.',
        tags: ['reproducibility']
    },
    check({ model }) {
        if (model.hasSyntaxDirective)
            return [];
        for (const step of model.steps) {
            const feature = modernFeature(step);
            if (feature) {
                return [{ step, message: `${feature} needs a recent Dockerfile frontend but the file has no \`# syntax=docker/dockerfile:1\` line; add it as the first line.`, details: { feature } }];
            }
        }
        return [];
    }
};

const runsSub = (cmds, names, sub) => cmds.some((c) => names.includes(c.name) && c.args.includes(sub));
const CHECKS = [
    {
        manager: 'apt',
        uses: isAptInstall,
        clean: (step) => removesPath(step, ['/var/lib/apt/lists']) || cacheMountCovers(step, ['/var/lib/apt']) !== undefined,
        message: 'apt-get install leaves the package lists (/var/lib/apt/lists, typically 20–50 MB) in this layer; end the same RUN with `&& rm -rf /var/lib/apt/lists/*` or mount /var/lib/apt/lists as a cache.'
    },
    {
        manager: 'apk',
        uses: isApkAdd,
        clean: (step, cmds) => cmds.some((c) => isApkAdd(c) && hasFlag(c, '--no-cache')) || removesPath(step, ['/var/cache/apk']) || cacheMountCovers(step, ['/var/cache/apk', '/etc/apk/cache']) !== undefined,
        message: 'apk add without --no-cache leaves the package index in /var/cache/apk in this layer; use `apk add --no-cache`.'
    },
    {
        manager: 'pip',
        uses: (c) => (c.name === 'pip' || /^pip\d/.test(c.name)) && subcommand(c) === 'install',
        clean: (step, cmds, env) => cmds.some((c) => (c.name === 'pip' || /^pip\d/.test(c.name)) && subcommand(c) === 'install' && hasFlag(c, '--no-cache-dir')) ||
            (env.get('PIP_NO_CACHE_DIR') ?? '') !== '' ||
            runsSub(cmds, ['pip', 'pip3'], 'purge') ||
            removesPath(step, ['.cache/pip', '/root/.cache']) ||
            cacheMountCovers(step, ['pip', '/.cache']) !== undefined,
        message: 'pip install without --no-cache-dir keeps downloaded wheels in ~/.cache/pip in this layer; add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1) or mount the cache.'
    },
    {
        manager: 'npm',
        uses: (c) => c.name === 'npm' && ['install', 'i', 'ci'].includes(subcommand(c) ?? ''),
        clean: (step, cmds) => runsSub(cmds, ['npm'], 'clean') || removesPath(step, ['.npm']) || cacheMountCovers(step, ['.npm', 'npm']) !== undefined,
        message: 'npm install keeps its download cache (~/.npm) in this layer; add `&& npm cache clean --force` to the same RUN or mount /root/.npm as a cache.'
    },
    {
        manager: 'yarn',
        uses: (c) => c.name === 'yarn' && ['install', 'add', undefined].includes(subcommand(c)),
        clean: (step, cmds) => runsSub(cmds, ['yarn'], 'clean') || removesPath(step, ['yarn']) || cacheMountCovers(step, ['yarn']) !== undefined,
        message: 'yarn install keeps its package cache in this layer; add `&& yarn cache clean` to the same RUN or mount the yarn cache folder as a cache.'
    }
];
const packageCacheNotCleaned = {
    meta: {
        id: 'package-cache-not-cleaned',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'A package install in the shipped image leaves its cache in the layer',
        fullDescription: 'Package managers keep indexes and downloaded archives after installing. Unless the same RUN removes them (or they live in a cache mount), they are part of the layer and of every pull. Only stages that ship are checked.',
        help: 'Clean in the same RUN, or keep the cache out of the layer with a cache mount:\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN apk add --no-cache curl\nRUN pip install --no-cache-dir -r requirements.txt\nRUN --mount=type=cache,target=/root/.npm npm ci\n```',
        tags: ['size']
    },
    check({ model }) {
        const hits = [];
        for (const stage of shippedStages(model)) {
            for (const step of runSteps(stage)) {
                const cmds = commandsOf(step);
                let env;
                for (const check of CHECKS) {
                    if (!cmds.some(check.uses))
                        continue;
                    env ??= envBefore(step);
                    if (check.clean(step, cmds, env))
                        continue;
                    hits.push({ step, key: check.manager, message: check.message, details: { manager: check.manager } });
                }
            }
        }
        return hits;
    }
};

const base = (p) => {
    const clean = p.replace(/\/+$/, '');
    return clean.slice(clean.lastIndexOf('/') + 1);
};
function writesOf(step) {
    const out = [];
    if (step.copy && !step.copy.heredoc && step.copy.dest) {
        const dest = step.copy.dest;
        const intoDir = dest.endsWith('/') || step.copy.sources.length > 1 || dest === '.';
        for (const source of step.copy.sources) {
            const kind = secretFileKind(source);
            if (kind)
                out.push({ step, path: intoDir ? `${dest.replace(/\/+$/, '')}/${base(source)}` : dest, kind });
        }
    }
    for (const cmd of commandsOf(step)) {
        for (const r of cmd.redirects) {
            const kind = r.op.includes('>') ? secretFileKind(r.target) : undefined;
            if (kind)
                out.push({ step, path: r.target, kind });
        }
        if ((cmd.name === 'cp' || cmd.name === 'mv' || cmd.name === 'tee' || cmd.name === 'install') && cmd.args.length > 1) {
            const target = cmd.args[cmd.args.length - 1];
            const kind = secretFileKind(target) ?? secretFileKind(cmd.args[cmd.args.length - 2] ?? '');
            if (kind)
                out.push({ step, path: secretFileKind(target) ? target : `${target}/${base(cmd.args[cmd.args.length - 2])}`, kind });
        }
        if (cmd.name === 'npm' && cmd.args[1] === 'config' && cmd.args[2] === 'set' && cmd.args.some((a) => a.includes('_auth'))) {
            out.push({ step, path: '~/.npmrc', kind: 'npm credentials (.npmrc)' });
        }
    }
    return out;
}
// True when one of the rm arguments deletes `path`: the same basename, or a folder above it.
function removes(step, path) {
    const name = base(path);
    return commandsOf(step).some((c) => c.name === 'rm' &&
        c.args.slice(1).some((a) => {
            if (a.startsWith('-'))
                return false;
            const arg = a.replace(/\/+$/, '');
            return base(arg) === name || path.startsWith(arg + '/') || (arg.includes('/.') && path.includes(arg.slice(arg.lastIndexOf('/'))));
        }));
}
const secretFileRemovedLater = {
    meta: {
        id: 'secret-file-removed-later',
        category: 'lint',
        defaultSeverity: 'error',
        shortDescription: 'A credential file is deleted in a later step but still ships in an earlier layer',
        fullDescription: 'Deleting a file in a later instruction only hides it: the layer that added it still contains it, and `docker save` or any layer-inspection tool reads it back. Only stages that ship are checked.',
        help: 'Never write the file into a layer; mount it for the one RUN that needs it:\n\n```dockerfile\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```\nand rotate the credential that shipped.',
        tags: ['security', 'secret']
    },
    check({ model }) {
        const hits = [];
        for (const stage of shippedStages(model)) {
            const pending = [];
            for (const step of stage.steps) {
                for (let k = pending.length - 1; k >= 0; k--) {
                    const w = pending[k];
                    if (!removes(step, w.path))
                        continue;
                    hits.push({
                        step: w.step,
                        key: w.path,
                        message: `${w.path} (${w.kind}) is added at line ${w.step.line} and removed at line ${step.line}, but the layer from line ${w.step.line} still contains it; use RUN --mount=type=secret instead and rotate the credential.`,
                        details: { path: w.path, removedAtLine: step.line }
                    });
                    pending.splice(k, 1);
                }
                // A write removed in the same RUN never reaches a layer.
                for (const w of writesOf(step))
                    if (!removes(step, w.path))
                        pending.push(w);
            }
        }
        return hits;
    }
};

const secretInEnvOrArg = {
    meta: {
        id: 'secret-in-env-or-arg',
        category: 'lint',
        defaultSeverity: 'error',
        shortDescription: 'ENV or ARG carries a credential',
        fullDescription: 'ENV values are stored in the image configuration and ARG values in the history of every RUN that uses them: anyone who can pull the image can read them. Flags names that say secret (TOKEN, SECRET, PASSWORD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH; not *_FILE, *_PATH, *_URL) and literal values shaped like tokens. Error in stages that ship, warning in build stages.',
        help: 'Pass build-time credentials as BuildKit secrets and read them only in the RUN that needs them:\n\n```dockerfile\nRUN --mount=type=secret,id=npm_token \\\n    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```\nBuild with `docker buildx build --secret id=npm_token,env=NPM_TOKEN .` and give run-time secrets to the container at run time. Rotate any credential that was committed.',
        tags: ['security', 'secret']
    },
    check({ model }) {
        const hits = [];
        for (const step of model.steps) {
            if (step.keyword !== 'ENV' && step.keyword !== 'ARG')
                continue;
            for (const prop of step.properties ?? []) {
                const { name, value } = prop;
                const tokens = value ? findTokens(value) : [];
                const where = step.keyword === 'ENV' ? 'is stored in the image configuration' : 'is recorded in the history of every RUN that uses it';
                let message;
                if (tokens.length > 0) {
                    message = `${step.keyword} ${name} holds a literal ${tokens[0].kind} (${tokens[0].masked}) that ${where}; pass it with --mount=type=secret and rotate it.`;
                }
                else if (isSecretName(name)) {
                    if (step.keyword === 'ENV' && (value === '' || value === null))
                        continue; // clearing a variable
                    if (value && /^(\/|\.\/|~\/)/.test(value))
                        continue; // a path to a secret, not the secret
                    message = `${step.keyword} ${name} looks like a credential and its value ${where}; pass it with RUN --mount=type=secret instead.`;
                }
                if (!message)
                    continue;
                hits.push({
                    step,
                    key: name,
                    range: hitRange(prop.range),
                    severity: stageSeverity(step, 'error', 'warning'),
                    message,
                    details: { name, ...(tokens.length > 0 ? { masked: tokens[0].masked } : {}) }
                });
            }
        }
        return hits;
    }
};

const secretInRun = {
    meta: {
        id: 'secret-in-run',
        category: 'lint',
        defaultSeverity: 'error',
        shortDescription: 'A RUN command line contains a credential',
        fullDescription: 'A token, a `https://user:password@` URL or an npm `_authToken=` written into a RUN is committed with the Dockerfile and recorded in the image history, in every stage.',
        help: 'Read the credential from a BuildKit secret in the RUN that needs it, and rotate the exposed one:\n\n```dockerfile\nRUN --mount=type=secret,id=gh_token \\\n    git clone https://x-access-token:$(cat /run/secrets/gh_token)@github.com/org/repo.git\n```',
        tags: ['security', 'secret']
    },
    check({ model }) {
        const hits = [];
        for (const step of model.steps) {
            if (step.keyword !== 'RUN')
                continue;
            const start = offsetOf(model, step.line, step.column);
            const text = model.source.slice(start, offsetOf(model, step.endLine, step.endColumn));
            for (const match of findInlineCredentials(text)) {
                const from = positionAt(model, start + match.index);
                const to = positionAt(model, start + match.index + match.length);
                hits.push({
                    step,
                    key: `${match.kind}:${match.masked}`,
                    range: { line: from.line, column: from.column, endLine: to.line, endColumn: to.column },
                    message: `RUN contains a literal ${match.kind} (${match.masked}); it is committed with the Dockerfile and kept in the image history. Use --mount=type=secret and rotate it.`,
                    details: { kind: match.kind, masked: match.masked }
                });
            }
        }
        return hits;
    }
};

const unpinnedBaseImage = {
    meta: {
        id: 'unpinned-base-image',
        category: 'lint',
        defaultSeverity: 'warning',
        shortDescription: 'FROM uses no tag or `latest`',
        fullDescription: 'An image without a tag means `latest`, which moves: two builds of the same commit can get different bases, and a new major version can break the build or the application without any change in the repository. Digests are pinned; `scratch` and stage names are not images.',
        help: 'Pin a version tag, ideally with a digest: `FROM node:20.11-slim@sha256:…`. Tools like Renovate or Dependabot keep pins current.',
        tags: ['reproducibility']
    },
    check({ model }) {
        const hits = [];
        for (const stage of model.stages) {
            const ref = stage.baseImage;
            if (!ref || ref.digest || ref.repository === 'scratch')
                continue;
            if (ref.tag !== undefined && ref.tag.toLowerCase() !== 'latest')
                continue;
            hits.push({
                step: stage.fromStep,
                range: hitRange(stage.fromStep.instruction.getImageRange()),
                message: `FROM ${ref.raw} ${ref.tag ? 'uses latest' : 'has no tag'}, so the base changes under you; pin a version tag (and ideally a digest).`,
                details: { image: ref.raw }
            });
        }
        return hits;
    }
};

// The Dockerfile linter: stage-aware static checks, run before the build and by `image-audit lint`.
//
// Inline ignores: a comment `# image-audit ignore=rule-a,rule-b` on the line(s) directly above an instruction
// suppresses those rules for that instruction. Suppressed findings are KEPT, marked `suppressed: {by: 'inline'}`,
// so reports show them and gates skip them (as with every other suppression).
const RULES = [
    finalStageToolchain,
    heavyFinalBase,
    depsAfterSource,
    packageCacheNotCleaned,
    aptNoInstallRecommends,
    cleanupInSeparateLayer,
    consecutiveRun,
    missingCacheMount,
    secretInEnvOrArg,
    secretInRun,
    copySecretFile,
    secretFileRemovedLater,
    finalStageRoot,
    missingDockerignore,
    dockerignoreIncomplete,
    unpinnedBaseImage,
    aptUpdateAlone,
    missingSyntaxDirective
];
/** The lint rule catalogue (ids are part of the report contract). */
const lintRules = RULES.map((r) => r.meta);
const IGNORE_COMMENT = /^image-audit\s+ignore\s*=\s*([A-Za-z0-9_,\s-]+)$/;
/** Rules ignored per instruction start line, from `# image-audit ignore=…` comments directly above it. */
function inlineIgnores(model) {
    const byLine = new Map();
    for (const c of model.comments)
        byLine.set(c.line, c.text);
    const out = new Map();
    for (const step of model.steps) {
        const rules = new Set();
        for (let line = step.line - 1; byLine.has(line); line--) {
            const m = IGNORE_COMMENT.exec((byLine.get(line) ?? '').trim());
            if (m)
                for (const r of m[1].split(','))
                    if (r.trim())
                        rules.add(r.trim());
        }
        if (rules.size > 0)
            out.set(step.line, rules);
    }
    return out;
}
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
/** Lints a Dockerfile. A missing Dockerfile or an unknown target is a UserError. */
async function lintDockerfile(opts) {
    const cwd = opts.cwd ?? process.cwd();
    const dockerfilePath = path.resolve(cwd, opts.dockerfile);
    let source = opts.contents;
    if (source === undefined) {
        try {
            source = await promises.readFile(dockerfilePath, 'utf8');
        }
        catch (e) {
            const code = e.code;
            throw new UserError(code === 'ENOENT'
                ? `Dockerfile not found: ${opts.dockerfile} (looked in ${dockerfilePath}). Pass the path of an existing Dockerfile (input \`dockerfile\`, flag --file).`
                : `Cannot read the Dockerfile ${opts.dockerfile}: ${e.message}. Check the path and its permissions.`);
        }
    }
    const model = buildModel(opts.dockerfile, source, opts.target);
    const contextDir = path.resolve(cwd, opts.context ?? path.dirname(dockerfilePath));
    const ctx = { model, dockerfilePath, contextDir, cwd };
    if (model.steps.some((s) => s.copy?.wholeContext))
        ctx.dockerignore = await findDockerignore(dockerfilePath, contextDir);
    const ignores = inlineIgnores(model);
    const seen = new Map();
    const findings = [];
    for (const rule of RULES) {
        const override = opts.config.rules[rule.meta.id];
        if (override === 'off')
            continue;
        const hits = await rule.check(ctx);
        for (const hit of hits)
            findings.push(toFinding(rule, hit, override, model, ignores, seen));
    }
    return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule));
}
function toFinding(rule, hit, override, model, ignores, seen) {
    const step = hit.step;
    const range = hit.range ?? { line: step.line, column: step.column, endLine: step.endLine, endColumn: step.endColumn };
    // Rule + file + instruction text (+ what tells several hits apart): stable when lines move. Identical
    // instructions (e.g. the same RUN in two stages) get an occurrence number.
    let identity = [rule.meta.id, model.file, step.text, hit.key ?? ''].join('\u0000');
    const n = seen.get(identity) ?? 0;
    seen.set(identity, n + 1);
    if (n > 0)
        identity += `\u0000#${n}`;
    const finding = {
        rule: rule.meta.id,
        severity: override && override !== 'off' ? override : (hit.severity ?? rule.meta.defaultSeverity),
        category: 'lint',
        message: hit.message,
        file: model.file,
        line: range.line,
        column: range.column,
        endLine: range.endLine,
        endColumn: range.endColumn,
        fingerprint: sha256(identity)
    };
    const details = { ...(hit.details ?? {}), ...(step.stage ? { stage: step.stage.label } : {}) };
    if (Object.keys(details).length > 0)
        finding.details = details;
    if (ignores.get(step.line)?.has(rule.meta.id))
        finding.suppressed = { by: 'inline' };
    return finding;
}

/**
 * Rules the image analysis and the secret scanner emit. Their engines own the detection; the ids and texts live
 * here so SARIF and config validation know them without importing those engines. Add new ids here.
 */
const stageRuleMetas = [
    {
        id: 'package-cache-in-image',
        category: 'image',
        defaultSeverity: 'warning',
        shortDescription: 'Package manager caches or indexes are left in the image',
        fullDescription: 'Files such as /var/lib/apt/lists, /var/cache/apk, ~/.npm or ~/.cache/pip are only needed while installing. Left in a layer they add megabytes to every pull.',
        help: 'Remove the cache in the same `RUN` that creates it, or keep it out of the image with a cache mount:\n\n```dockerfile\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install -y --no-install-recommends curl\n```',
        tags: ['size']
    },
    {
        id: 'toolchain-in-image',
        category: 'image',
        defaultSeverity: 'warning',
        shortDescription: 'Compilers or SDKs ship in the final image',
        fullDescription: 'The image contains build tools (compilers, SDKs, headers) that the application does not need at run time. They add size and attack surface.',
        help: 'Build in one stage and copy only the artefacts into a runtime stage:\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n```',
        tags: ['size', 'security']
    },
    {
        id: 'wasted-space',
        category: 'image',
        defaultSeverity: 'warning',
        shortDescription: 'Bytes in a layer are hidden by a later layer',
        fullDescription: 'Files added in one layer and deleted or overwritten in a later one still count towards the image size: every layer is pulled whole.',
        help: 'Create and delete temporary files in the same `RUN`, or produce them in a build stage and copy only the result.',
        tags: ['size']
    },
    {
        id: 'secret-history',
        category: 'secret',
        defaultSeverity: 'error',
        shortDescription: 'A secret is visible in the image history',
        fullDescription: 'A build argument or command line with a credential is recorded in the image history (`docker history`), which anyone who can pull the image can read.',
        help: 'Pass credentials with a secret mount instead of build arguments, and rotate the exposed credential:\n\n```dockerfile\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```',
        tags: ['security', 'secret']
    },
    {
        id: 'secret-config',
        category: 'secret',
        defaultSeverity: 'error',
        shortDescription: 'A secret is set in the image configuration',
        fullDescription: 'An environment variable or label in the image configuration holds a credential; every container and every puller can read it.',
        help: 'Inject the value at run time (orchestrator secrets, environment files) instead of `ENV`/`LABEL`, and rotate the exposed credential.',
        tags: ['security', 'secret']
    },
    {
        id: 'secret-file',
        category: 'secret',
        defaultSeverity: 'error',
        shortDescription: 'A file in the image contains a secret',
        fullDescription: 'A layer contains a private key, token or credential file. Even if a later layer deletes it, the layer that added it still ships it.',
        help: 'Keep the file out of the build context (`.dockerignore`), use `RUN --mount=type=secret` for build-time credentials, and rotate the exposed credential.',
        tags: ['security', 'secret']
    }
];

const BYTE_UNITS = [
	'B',
	'kB',
	'MB',
	'GB',
	'TB',
	'PB',
	'EB',
	'ZB',
	'YB',
];

const BIBYTE_UNITS = [
	'B',
	'KiB',
	'MiB',
	'GiB',
	'TiB',
	'PiB',
	'EiB',
	'ZiB',
	'YiB',
];

const BIT_UNITS = [
	'b',
	'kbit',
	'Mbit',
	'Gbit',
	'Tbit',
	'Pbit',
	'Ebit',
	'Zbit',
	'Ybit',
];

const BIBIT_UNITS = [
	'b',
	'kibit',
	'Mibit',
	'Gibit',
	'Tibit',
	'Pibit',
	'Eibit',
	'Zibit',
	'Yibit',
];

// Indexed by `bits` and then `binary`, so the four unit systems are picked in one step.
const UNIT_SETS = [BYTE_UNITS, BIBYTE_UNITS, BIT_UNITS, BIBIT_UNITS];

/*
`Number#toString` switches to exponential notation outside the range [1e-6, 1e21) and `Intl.NumberFormat` drops every fraction digit past the 100 it accepts.
Byte counts read as plain decimal numbers, so both losses are undone here. Expects a finite, non-negative number.
*/
const toDecimalString = number => {
	if (number >= 1e-6 && number < 1e21) {
		return String(number);
	}

	const [mantissa, exponentString] = number.toExponential().split('e');
	const digits = mantissa.replace('.', '');
	const pointPosition = Number(exponentString) + 1;
	const isPositive = pointPosition > 0;
	const padded = isPositive ? digits.padEnd(pointPosition, '0') : '0'.repeat(1 - pointPosition) + digits;
	const integerPart = padded.slice(0, isPositive ? pointPosition : 1);
	const fractionPart = padded.slice(isPositive ? pointPosition : 1).replace(/0+$/, '');

	return fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
};

/*
Formats the given number using `Number#toLocaleString`.
- If locale is a string or array, the value is expected to be a BCP 47 language tag or list of language tags (for example: `de`).
- If locale is true, the system default locale is used for translation.
- If locale is false or unspecified, formatting options are applied without localization; without options, the number is written out as plain digits.
*/
const toLocaleString = (number, locale, options) => {
	if (typeof locale === 'string' || Array.isArray(locale) || locale === true) {
		const locales = locale === true ? undefined : locale;

		if (options !== undefined) {
			return number.toLocaleString(locales, options);
		}

		// `Intl.NumberFormat` limits itself to 3 *fraction* digits while the default here is 3 *significant* digits, so the limit comes from the value.
		const text = toDecimalString(number);
		const pointIndex = text.indexOf('.');
		const maximumFractionDigits = pointIndex === -1 ? 0 : text.length - pointIndex - 1;

		// `Intl.NumberFormat` accepts at most 100 fraction digits. Rounding to 3 significant digits only needs more than that for absurdly small values, which are written out as plain digits instead.
		if (maximumFractionDigits > 100) {
			return text;
		}

		return number.toLocaleString(locales, {maximumFractionDigits});
	}

	if (options === undefined) {
		return toDecimalString(number);
	}

	return number.toLocaleString('en-US', {...options, useGrouping: false});
};

const log10 = numberOrBigInt => {
	if (typeof numberOrBigInt === 'number') {
		return Math.log10(numberOrBigInt);
	}

	const string = numberOrBigInt.toString(10);

	// A `number` only holds about 15 significant digits, so the remaining digits cannot move the magnitude. The result can still land exactly on a unit boundary, which the caller corrects for.
	return string.length + Math.log10(`0.${string.slice(0, 15)}`);
};

const log = numberOrBigInt => {
	if (typeof numberOrBigInt === 'number') {
		return Math.log(numberOrBigInt);
	}

	return log10(numberOrBigInt) * Math.log(10);
};

/*
A `bigint` that a `number` can hold exactly is divided the same way, so the output never depends on which type it was given as.
`floor(a / b) + (a % b) / b` is a different double than `a / b`, which flips the rounding at ties like 1805 bytes.
*/
const divide = (numberOrBigInt, base, exponent) => {
	const divisor = base ** exponent;

	if (typeof numberOrBigInt === 'number' || numberOrBigInt <= Number.MAX_SAFE_INTEGER) {
		return Number(numberOrBigInt) / divisor;
	}

	// `divisor` is not exact for every unit, as `1000 ** 8` is not `1e24`, so the exact divisor is rebuilt from the base and the exponent.
	const bigintDivisor = BigInt(base) ** BigInt(exponent);
	const integerPart = numberOrBigInt / bigintDivisor;
	const remainder = numberOrBigInt % bigintDivisor;

	return Number(integerPart) + (Number(remainder) / divisor);
};

/*
The plain decimal digits of a scaled value that no `number` can hold. `Intl.NumberFormat` is not involved, so the output carries no grouping or localized separator, the same as the fallback for a value with more fraction digits than it accepts.
*/
const toUnrepresentableString = (number, base, exponent, localeOptions) => {
	const scale = BigInt(base) ** BigInt(exponent);
	const whole = number / scale;

	// The 3 significant digit default never bites here: it only ever rounds to at least as many digits as the value has integers, and this one has far more than 3.
	if (localeOptions === undefined) {
		return whole.toString();
	}

	// The fraction digit options take over from that default, so the integer part stays exact and the fraction is truncated.
	const minimumFractionDigits = localeOptions.minimumFractionDigits ?? 0;
	const maximumFractionDigits = Math.max(localeOptions.maximumFractionDigits ?? 3, minimumFractionDigits);
	const truncated = ((number % scale) * (10n ** BigInt(maximumFractionDigits)) / scale).toString().padStart(maximumFractionDigits, '0');
	const fraction = truncated.replace(/0+$/, '').padEnd(minimumFractionDigits, '0');

	return fraction ? `${whole}.${fraction}` : whole.toString();
};

/*
The sign to print in front of the number. A difference of exactly zero gets a space instead of a plus sign, for better alignment. `0 === 0n` is `false`, so both are compared.
*/
const signOf = (number, signed) => {
	if (number < 0) {
		return '-';
	}

	if (!signed) {
		return '';
	}

	return number === 0 || number === 0n ? ' ' : '+';
};

const assertFixedWidth = fixedWidth => {
	if (fixedWidth !== undefined && (typeof fixedWidth !== 'number' || !Number.isSafeInteger(fixedWidth) || fixedWidth < 0)) {
		throw new TypeError(`Expected fixedWidth to be a non-negative integer, got ${typeof fixedWidth}: ${fixedWidth}`);
	}
};

/*
`Intl.NumberFormat` silently truncates non-integers, so they are rejected here instead of quietly changing the output.
*/
const assertFractionDigits = (name, value) => {
	if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100)) {
		throw new TypeError(`Expected ${name} to be an integer between 0 and 100, got ${typeof value}: ${value}`);
	}
};

const buildLocaleOptions = options => {
	const {minimumFractionDigits, maximumFractionDigits} = options;

	if (minimumFractionDigits === undefined && maximumFractionDigits === undefined) {
		return undefined;
	}

	assertFractionDigits('minimumFractionDigits', minimumFractionDigits);
	assertFractionDigits('maximumFractionDigits', maximumFractionDigits);

	// Checked here rather than left to `Intl.NumberFormat`, which is skipped for a value past the number range.
	if (minimumFractionDigits > maximumFractionDigits) {
		throw new RangeError(`Expected minimumFractionDigits (${minimumFractionDigits}) to not be greater than maximumFractionDigits (${maximumFractionDigits})`);
	}

	return {
		...(minimumFractionDigits !== undefined && {minimumFractionDigits}),
		...(maximumFractionDigits !== undefined && {maximumFractionDigits}),
		roundingMode: 'trunc',
	};
};

function prettyBytes(number, options) {
	if (typeof number !== 'bigint' && !Number.isFinite(number)) {
		throw new TypeError(`Expected a finite number, got ${typeof number}: ${number}`);
	}

	options = {
		bits: false,
		binary: false,
		space: true,
		nonBreakingSpace: false,
		...options,
	};

	assertFixedWidth(options.fixedWidth);
	const localeOptions = buildLocaleOptions(options);

	// Indexed by `bits` then `binary`, so the four combinations line up in one table.
	const UNITS = UNIT_SETS[(options.bits ? 2 : 0) + (options.binary ? 1 : 0)];

	const separator = options.space ? (options.nonBreakingSpace ? '\u00A0' : ' ') : '';

	// Normalize `-0` to `0` so it never formats as `-0`.
	if (Object.is(number, -0)) {
		number = 0;
	}

	const prefix = signOf(number, options.signed);

	if (number < 0) {
		number = -number;
	}

	const base = options.binary ? 1024 : 1000;

	let exponent = 0;
	if (number >= 1) {
		exponent = Math.min(Math.floor(options.binary ? log(number) / Math.log(base) : log10(number) / 3), UNITS.length - 1);
	}

	// A `number` always scales down to something a `number` can hold, and a `bigint` stops being able to once the quotient passes `Number.MAX_VALUE`, where `divide` overflows to `Infinity` and the exact quotient is formatted instead.
	const scaled = divide(number, base, exponent);

	let numberString;
	if (Number.isFinite(scaled)) {
		number = scaled;

		// A value that sits just below a unit boundary, like `999999999999999` bytes, has a `log10` that rounds up to the boundary itself, so the exponent has to be corrected back.
		if (number < 1 && exponent > 0) {
			number *= base;
			exponent -= 1;
		}

		if (!localeOptions) {
			const minimumPrecision = Math.max(3, Math.floor(number).toString().length);
			number = Number(number.toPrecision(minimumPrecision));

			if (number >= base && exponent < UNITS.length - 1) {
				number /= base;
				exponent += 1;
			}
		}

		numberString = toLocaleString(number, options.locale, localeOptions);
	} else {
		// The scaled value is past what a `number` can hold, so the exact quotient is written out instead.
		numberString = toUnrepresentableString(number, base, exponent, localeOptions);
	}

	const result = prefix + numberString + separator + UNITS[exponent];
	return result.padStart(options.fixedWidth ?? 0);
}

// Size parsing for thresholds and human formatting for reports.
// Units: B, kB/KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB powers of 1024 (case-insensitive).
const UNITS = {
    b: 1,
    kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
    kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
    k: 1e3, m: 1e6, g: 1e9
};
/** Parses `200MB`, `1.5 GiB`, `512` (bytes). Returns undefined for malformed input. */
function parseBytes(text) {
    const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
    if (!m)
        return undefined;
    const unit = m[2].toLowerCase() || 'b';
    const factor = UNITS[unit];
    if (factor === undefined)
        return undefined;
    return Math.round(Number(m[1]) * factor);
}
/** Parses `10%` → {percent: 10} or a byte size → {bytes}. */
function parseBytesOrPercent(text) {
    const p = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
    if (p)
        return { percent: Number(p[1]) };
    const b = parseBytes(text);
    return b === undefined ? undefined : { bytes: b };
}
/** `245.3 MB` (decimal, like `docker images`). */
const formatBytes = (n) => prettyBytes(n, { maximumFractionDigits: 1 });
/** `20.0 MiB`-style binary units, for deltas where exact MiB matter. */
const formatBinaryBytes = (n) => prettyBytes(n, { binary: true, minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** Signed delta, e.g. `+20.0 MiB` / `-1.2 MiB` / `±0 B`. */
function formatBytesDelta(delta) {
    if (delta === 0)
        return '±0 B';
    return (delta > 0 ? '+' : '-') + formatBinaryBytes(Math.abs(delta));
}
/** Signed percentage of `base`, e.g. `+988 %`; empty when the base is 0. */
function formatPercentDelta(delta, base) {
    if (base === 0)
        return delta === 0 ? '0 %' : 'new';
    const pct = (delta / base) * 100;
    const abs = Math.abs(pct);
    const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
    return `${pct > 0 ? '+' : pct < 0 ? '-' : '±'}${abs.toFixed(digits)} %`;
}

const defaultConfig = () => ({
    rules: {},
    thresholds: { failOnSecrets: true, failOnLint: 'error' },
    secrets: { suppressions: [], allowPaths: [] },
    waste: { minBytes: 1_000_000, minPercent: 5 }
});

// `.image-audit.yml`: read, validate every key and value, merge onto defaultConfig(). Action inputs and CLI
// flags go through applyThresholdInput, the same validation as the file, so errors read the same everywhere.
//
// rules:      { <rule-id>: off | info | warning | error }
// thresholds: { max-size: 200MB, max-compressed-size: 80MB, max-layers: 20, max-size-increase: 10% | 20MB,
//               max-layers-increase: 2, max-wasted: 5% | 10MB, min-efficiency: 0.9, fail-on-secrets: true,
//               fail-on-lint: error | warning | info | none }
// secrets:    { suppress: [{ fingerprint: <sha256> | rule: <id>, path: <glob>, reason: <text>, expires: 2026-12-31 }],
//               allow-paths: [<glob>…] }
// waste:      { min-bytes: 1MB, min-percent: 5 }
const CONFIG_FILE_NAMES = ['.image-audit.yml', '.image-audit.yaml'];
const THRESHOLD_NAMES = [
    'max-size',
    'max-compressed-size',
    'max-layers',
    'max-size-increase',
    'max-layers-increase',
    'max-wasted',
    'min-efficiency',
    'fail-on-secrets',
    'fail-on-lint'
];
const SEVERITIES = ['error', 'warning', 'info'];
const SIZE_EXAMPLE = 'use e.g. 200MB, 1.5GiB or 500000000';
const show = (v) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));
function sizeOf(value, where) {
    const bytes = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : typeof value === 'string' ? parseBytes(value) : undefined;
    if (bytes === undefined)
        throw new UserError(`${where}: ${show(value)} is not a size; ${SIZE_EXAMPLE}.`);
    return bytes;
}
function limitOf(value, where, maxPercent) {
    const limit = typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? { bytes: Math.round(value) } : undefined) : typeof value === 'string' ? parseBytesOrPercent(value) : undefined;
    if (limit === undefined)
        throw new UserError(`${where}: ${show(value)} is not a size or a percentage; use e.g. 10%, 20MB or 1.5GiB.`);
    if ('percent' in limit && maxPercent !== undefined && limit.percent > maxPercent) {
        throw new UserError(`${where}: ${show(value)} is more than ${maxPercent}%; use a percentage from 0 to ${maxPercent} or a size such as 10MB.`);
    }
    return limit;
}
function countOf(value, where) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 0)
        throw new UserError(`${where}: ${show(value)} is not a whole number; use e.g. 20.`);
    return n;
}
function ratioOf(value, where) {
    let n = NaN;
    if (typeof value === 'number')
        n = value;
    else if (typeof value === 'string') {
        const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
        n = pct ? Number(pct[1]) / 100 : /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : NaN;
    }
    if (!(n >= 0 && n <= 1))
        throw new UserError(`${where}: ${show(value)} is not a ratio between 0 and 1; use e.g. 0.9 or 90%.`);
    return n;
}
function booleanOf(value, where) {
    if (typeof value === 'boolean')
        return value;
    if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value))
        return value.trim().toLowerCase() === 'true';
    throw new UserError(`${where}: ${show(value)} is not true or false.`);
}
function failOnLintOf(value, where) {
    const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (v === 'error' || v === 'warning' || v === 'info' || v === 'none')
        return v;
    throw new UserError(`${where}: ${show(value)} is not a lint level; use error, warning, info or none.`);
}
/**
 * Validates one threshold (an action input, a CLI flag or a file key) and sets it on `thresholds` (mutated).
 * `source` names where the value came from, e.g. `input max-size`, `--max-size` or
 * `.image-audit.yml: thresholds.max-size`; every error message starts with it. An empty string means
 * "not given" (unset action inputs are '') and changes nothing.
 */
function applyThresholdInput(thresholds, name, value, source) {
    if (typeof value === 'string' && value.trim() === '')
        return;
    switch (name) {
        case 'max-size':
            thresholds.maxSize = sizeOf(value, source);
            return;
        case 'max-compressed-size':
            thresholds.maxCompressedSize = sizeOf(value, source);
            return;
        case 'max-layers':
            thresholds.maxLayers = countOf(value, source);
            return;
        case 'max-size-increase':
            thresholds.maxSizeIncrease = limitOf(value, source);
            return;
        case 'max-layers-increase':
            thresholds.maxLayersIncrease = countOf(value, source);
            return;
        case 'max-wasted':
            thresholds.maxWasted = limitOf(value, source, 100);
            return;
        case 'min-efficiency':
            thresholds.minEfficiency = ratioOf(value, source);
            return;
        case 'fail-on-secrets':
            thresholds.failOnSecrets = booleanOf(value, source);
            return;
        case 'fail-on-lint':
            thresholds.failOnLint = failOnLintOf(value, source);
            return;
        default:
            throw new UserError(`${source}: unknown threshold '${name}'; the thresholds are ${THRESHOLD_NAMES.join(', ')}.`);
    }
}
/** Every rule id a config may name: the linter's, the image analysis' and the secret scanner's. */
const knownRuleIds = () => [...lintRules.map((r) => r.id), ...stageRuleMetas.map((r) => r.id)];
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
function expectMap(v, where) {
    if (v === null || v === undefined)
        return {};
    if (!isMap(v))
        throw new UserError(`${where} must be a mapping of keys to values.`);
    return v;
}
function checkKeys(map, allowed, where) {
    for (const key of Object.keys(map)) {
        if (!allowed.includes(key)) {
            throw new UserError(`${where}.${key} is not a known setting; ${where} takes ${allowed.join(', ')}.`);
        }
    }
}
function scalar(v, where) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        return v;
    throw new UserError(`${where}: expected a single value, got ${Array.isArray(v) ? 'a list' : v === null ? 'nothing' : 'a mapping'}.`);
}
function stringOf(v, where) {
    if (typeof v === 'string' && v.trim() !== '')
        return v;
    throw new UserError(`${where}: expected text, got ${show(v)}.`);
}
function isoDate(v, where) {
    if (v instanceof Date && !Number.isNaN(v.getTime()))
        return v.toISOString().slice(0, 10);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)))
        return v;
    throw new UserError(`${where}: ${show(v)} is not a date; use YYYY-MM-DD, e.g. 2026-12-31.`);
}
function parseSuppression(v, where) {
    const map = expectMap(v, where);
    checkKeys(map, ['fingerprint', 'rule', 'path', 'reason', 'expires'], where);
    const s = {};
    if (map.fingerprint !== undefined) {
        const fp = stringOf(map.fingerprint, `${where}.fingerprint`).trim().toLowerCase();
        if (!/^[0-9a-f]{64}$/.test(fp))
            throw new UserError(`${where}.fingerprint: '${fp}' is not a sha256 fingerprint (64 hex characters, as in the report).`);
        s.fingerprint = fp;
    }
    if (map.rule !== undefined)
        s.rule = stringOf(map.rule, `${where}.rule`);
    if (map.path !== undefined)
        s.path = stringOf(map.path, `${where}.path`);
    if (map.reason !== undefined)
        s.reason = stringOf(map.reason, `${where}.reason`);
    if (map.expires !== undefined)
        s.expires = isoDate(map.expires, `${where}.expires`);
    if (!s.fingerprint && !(s.rule && s.path)) {
        throw new UserError(`${where}: a suppression needs a fingerprint, or both rule and path (e.g. rule: secret-file, path: 'app/test/**').`);
    }
    return s;
}
/** Validates a parsed config document and merges it onto defaultConfig(). `file` names the source in errors. */
function parseConfig(doc, file) {
    const config = defaultConfig();
    const root = expectMap(doc, file);
    const at = (key) => `${file}: ${key}`;
    checkKeys(root, ['rules', 'thresholds', 'secrets', 'waste'], file);
    const rules = expectMap(root.rules, at('rules'));
    const known = knownRuleIds();
    for (const [id, level] of Object.entries(rules)) {
        if (!known.includes(id))
            throw new UserError(`${at(`rules.${id}`)} is not a known rule; the rules are ${known.join(', ')}.`);
        if (typeof level !== 'string' || !(level === 'off' || SEVERITIES.includes(level))) {
            throw new UserError(`${at(`rules.${id}`)}: ${show(level)} is not a level; use off, info, warning or error.`);
        }
        config.rules[id] = level;
    }
    const thresholds = expectMap(root.thresholds, at('thresholds'));
    checkKeys(thresholds, THRESHOLD_NAMES, at('thresholds'));
    for (const [name, value] of Object.entries(thresholds)) {
        applyThresholdInput(config.thresholds, name, scalar(value, at(`thresholds.${name}`)), at(`thresholds.${name}`));
    }
    const secrets = expectMap(root.secrets, at('secrets'));
    checkKeys(secrets, ['suppress', 'allow-paths'], at('secrets'));
    if (secrets.suppress !== undefined && secrets.suppress !== null) {
        if (!Array.isArray(secrets.suppress))
            throw new UserError(`${at('secrets.suppress')} must be a list of suppressions.`);
        config.secrets.suppressions = secrets.suppress.map((s, i) => parseSuppression(s, at(`secrets.suppress[${i}]`)));
    }
    if (secrets['allow-paths'] !== undefined && secrets['allow-paths'] !== null) {
        const list = secrets['allow-paths'];
        if (!Array.isArray(list))
            throw new UserError(`${at('secrets.allow-paths')} must be a list of path globs.`);
        config.secrets.allowPaths = list.map((p, i) => stringOf(p, at(`secrets.allow-paths[${i}]`)));
    }
    const waste = expectMap(root.waste, at('waste'));
    checkKeys(waste, ['min-bytes', 'min-percent'], at('waste'));
    if (waste['min-bytes'] !== undefined)
        config.waste.minBytes = sizeOf(scalar(waste['min-bytes'], at('waste.min-bytes')), at('waste.min-bytes'));
    if (waste['min-percent'] !== undefined) {
        const v = scalar(waste['min-percent'], at('waste.min-percent'));
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/%\s*$/, '')) : NaN;
        if (!(n >= 0 && n <= 100))
            throw new UserError(`${at('waste.min-percent')}: ${show(v)} is not a percentage from 0 to 100; use e.g. 5.`);
        config.waste.minPercent = n;
    }
    return config;
}
/**
 * Reads `.image-audit.yml` (or `.image-audit.yaml`) in `cwd`, or the given path. No file in cwd → defaults;
 * a given path that does not exist → UserError. Paths are resolved against cwd.
 */
async function loadConfig(opts) {
    let file;
    let text;
    if (opts.path) {
        file = path.resolve(opts.cwd, opts.path);
        try {
            text = await promises.readFile(file, 'utf8');
        }
        catch (e) {
            const code = e.code;
            throw new UserError(code === 'ENOENT' || code === 'ENOTDIR'
                ? `Config file not found: ${opts.path} (looked in ${file}). Fix the path, or remove the option to use ${CONFIG_FILE_NAMES[0]} in the working directory.`
                : `Cannot read the config file ${opts.path}: ${e.message}.`);
        }
    }
    else {
        for (const name of CONFIG_FILE_NAMES) {
            const candidate = path.join(opts.cwd, name);
            text = await promises.readFile(candidate, 'utf8').catch(() => undefined);
            if (text !== undefined) {
                file = candidate;
                break;
            }
        }
        if (text === undefined || file === undefined)
            return defaultConfig();
    }
    const shown = path.relative(opts.cwd, file) || file;
    const doc = distExports.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const line = err.linePos?.[0];
        throw new UserError(`${shown}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML (${err.message.split('\n')[0]}). Fix the syntax; see the README for the schema.`);
    }
    return parseConfig(doc.toJS(), shown);
}

// Turns a failed buildx run's plain-progress log into one actionable paragraph: which step failed, where it
// is in the Dockerfile, and the last lines of the log. Pure, so it is unit-tested on recorded logs.
const collapse$1 = (s) => s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
/**
 * @param log the build's combined output (progress=plain)
 * @param dockerfileInstructions instruction text by first line, to locate the failing step
 */
function parseBuildFailure(log, dockerfileInstructions = [], tailLines = 15) {
    const lines = log.split(/\r?\n/);
    const headings = new Map();
    let failedVertex;
    let error = '';
    for (const l of lines) {
        const h = /^#(\d+) (\[[^\]]+\] .*)$/.exec(l);
        if (h && !headings.has(h[1]))
            headings.set(h[1], h[2]);
        const e = /^#(\d+) ERROR: (.*)$/.exec(l);
        if (e) {
            failedVertex ??= e[1];
            error ||= e[2];
        }
    }
    const solve = lines.filter((l) => /^ERROR: /.test(l)).pop();
    if (!error && solve)
        error = solve.replace(/^ERROR: (failed to solve: )?/, '');
    if (!error)
        error = lines.filter((l) => l.trim()).pop() ?? 'the build failed';
    const step = failedVertex ? headings.get(failedVertex) : undefined;
    let line;
    const explicit = /Dockerfile:(\d+)/.exec(log);
    if (explicit)
        line = Number(explicit[1]);
    else if (step) {
        const instr = collapse$1(step.replace(/^\[[^\]]+\]\s*/, ''));
        const hit = dockerfileInstructions.find((i) => collapse$1(i.text) === instr) ??
            dockerfileInstructions.find((i) => instr.startsWith(collapse$1(i.text).slice(0, 40)));
        line = hit?.line;
    }
    const tail = lines.filter((l) => l.trim() !== '').slice(-tailLines);
    return { step, line, error: error.trim(), tail };
}
function describeBuildFailure(f, dockerfile) {
    const where = f.step ? `at step ${f.step}${f.line ? ` (${dockerfile}:${f.line})` : ''}` : '';
    return [
        `The image build failed${where ? ' ' + where : ''}: ${f.error}`,
        'Fix the step (run the same docker buildx build locally to reproduce). Last lines of the build log:',
        ...f.tail.map((l) => '  ' + l)
    ].join('\n');
}

// Build args given to the build are known before the image exists. Those that are secrets (by name, like
// NPM_TOKEN, or by shape, like a ghp_ token) must be registered with the host and masked in the logged
// command line before `docker buildx build` runs, or the CLI log prints them whole.
function classify(arg) {
    const eq = arg.indexOf('=');
    if (eq <= 0)
        return undefined;
    const name = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const hits = scanText(`${name}=${value}`).filter((h) => h.index > name.length - 1);
    // The whole value is what must not be printed, even when only part of it is token-shaped.
    if (hits.length > 0)
        return { name, value, masked: value === hits[0].value ? maskFor(hits[0].detector, value) : '…' };
    if (assessNamedValue(name, value))
        return { name, value, masked: maskFor(secretName, value.trim()) };
    return undefined;
}
/** Values of `NAME=value` build args that are secrets; pass each to `runtime.maskSecret` before building. */
function secretBuildArgValues(buildArgs) {
    return buildArgs.map(classify).flatMap((s) => (s ? [s.value] : []));
}
/** A copy of a docker argv safe to log: secret `--build-arg NAME=value` values replaced by their masks. */
function logSafeArgs(args) {
    return args.map((a, i) => {
        const inline = /^--build-arg=(.*)$/.exec(a);
        const arg = inline ? inline[1] : args[i - 1] === '--build-arg' ? a : undefined;
        const secret = arg === undefined ? undefined : classify(arg);
        if (!secret)
            return a;
        return `${inline ? '--build-arg=' : ''}${secret.name}=${secret.masked}`;
    });
}

// Runs `docker buildx build --load` for BuildInputs and returns the built image id. The only place that
// writes build secrets to disk: private temp files, removed whatever happens.
/** Checks the context and Dockerfile exist before anything is started. */
function checkBuildPaths(inputs, cwd = process.cwd()) {
    const context = path.resolve(cwd, inputs.context);
    if (!existsSync(context) || !statSync(context).isDirectory()) {
        throw new UserError(`The build context '${inputs.context}' is not a folder (looked in ${context}).`, 'Set the context input (or --context) to the folder the Dockerfile builds from; paths are relative to the working directory.');
    }
    const file = path.resolve(cwd, inputs.file);
    if (!existsSync(file) || !statSync(file).isFile()) {
        throw new UserError(`The Dockerfile '${inputs.file}' does not exist (looked in ${file}).`, 'Set the file input (or --file) to the Dockerfile, relative to the working directory; by default it is <context>/Dockerfile.');
    }
}
async function runBuild(inputs, runtime, cwd = process.cwd()) {
    checkBuildPaths(inputs, cwd);
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'image-audit-build-'));
    const started = Date.now();
    try {
        const secretFiles = {};
        for (const s of inputs.secrets) {
            runtime.maskSecret(s.value);
            const file = path.join(tmp, `secret-${Object.keys(secretFiles).length}`);
            await writeFile(file, s.value, { mode: 0o600 });
            secretFiles[s.id] = file;
        }
        const files = { iidFile: path.join(tmp, 'iid'), metadataFile: path.join(tmp, 'metadata.json'), secretFiles };
        const args = buildxArgs(inputs, files);
        // Build args whose name or shape says secret are masked before anything is logged. BuildKit expands ARGs in
        // its progress lines (`#5 [2/3] RUN echo $TOKEN` shows the value), so build output is redacted here too,
        // whatever the host's own masking does.
        // (Secret input values were registered above, whatever their length.)
        const secretArgs = secretBuildArgValues(inputs.buildArgs).filter((v) => v.length >= 4);
        for (const value of secretArgs)
            runtime.maskSecret(value);
        const hidden = [...secretArgs, ...inputs.secrets.map((s) => s.value).filter((v) => v.length >= 4)];
        const redact = (line) => hidden.reduce((l, v) => l.split(v).join('***'), line);
        let log = '';
        let partial = '';
        // Output is streamed line by line through the logger (which masks secrets), not echoed raw by exec.
        const keep = (chunk) => {
            log += chunk;
            if (log.length > 256 * 1024)
                log = log.slice(-128 * 1024); // bounded: only the tail matters on failure
            const lines = (partial + chunk).split(/\r?\n/);
            partial = lines.pop() ?? '';
            for (const line of lines)
                runtime.log.info(redact(line));
        };
        const result = await runtime.log.group(`docker buildx build ${inputs.file}`, async () => {
            runtime.log.info(`docker ${logSafeArgs(args).join(' ')}`);
            const r = await runtime.exec.run('docker', args, { cwd, onStdout: keep, onStderr: keep, silent: true });
            if (partial)
                runtime.log.info(redact(partial));
            return r;
        });
        if (result.exitCode !== 0) {
            const failure = parseBuildFailure(redact(log), await dockerfileInstructions(path.resolve(cwd, inputs.file)));
            throw new UserError(describeBuildFailure(failure, inputs.file));
        }
        const imageId = (await readFile(files.iidFile, 'utf8')).trim();
        let metadata = {};
        try {
            metadata = JSON.parse(await readFile(files.metadataFile, 'utf8'));
        }
        catch {
            // older buildx versions may not write it; the image id is what matters
        }
        return { imageId, metadata, seconds: (Date.now() - started) / 1000 };
    }
    finally {
        await rm(tmp, { recursive: true, force: true });
    }
}
async function dockerfileInstructions(file) {
    try {
        const df = mainExports.DockerfileParser.parse(await readFile(file, 'utf8'));
        return df.getInstructions().map((i) => ({
            line: i.getRange().start.line + 1,
            text: `${i.getKeyword()} ${i.getArgumentsContent() ?? ''}`.replace(/\\\r?\n/g, ' ')
        }));
    }
    catch {
        return [];
    }
}

const START_HINT = 'Start one and try again: on a GitHub-hosted runner Docker is already running; on Debian/Ubuntu run ' +
    '`sudo systemctl start docker` (or `sudo dockerd &`); in this repository `bash scripts/engine.sh` installs and starts one.';
/** Throws a UserError when the docker CLI is missing or no engine answers. Returns the server version. */
async function ensureEngine(runtime) {
    let result;
    try {
        result = await runtime.exec.run('docker', ['version', '--format', '{{.Server.Version}}'], { silent: true });
    }
    catch {
        throw new UserError('The docker command was not found on PATH.', 'Install the Docker CLI (Debian: apt-get install docker.io).');
    }
    if (result.exitCode !== 0 || !result.stdout.trim()) {
        const why = lastLine(result.stderr) || 'no answer';
        throw new UserError(`No Docker engine is reachable (${why}).`, START_HINT);
    }
    return result.stdout.trim();
}
async function ensureBuildx(runtime, builder) {
    const v = await runtime.exec.run('docker', ['buildx', 'version'], { silent: true });
    if (v.exitCode !== 0) {
        throw new UserError('docker buildx is not installed, and image-audit builds with buildx.', 'Install the buildx plugin (GitHub runners have it; Debian: apt-get install docker-buildx; or use docker/setup-buildx-action), or analyse an existing image with --image / the image input.');
    }
    if (builder) {
        const b = await runtime.exec.run('docker', ['buildx', 'inspect', builder], { silent: true });
        if (b.exitCode !== 0) {
            throw new UserError(`The buildx builder '${builder}' does not exist.`, 'Create it first (docker buildx create --name NAME, or docker/setup-buildx-action) or leave the builder input empty to use the default.');
        }
    }
}
async function imageExists(runtime, ref) {
    const r = await runtime.exec.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { silent: true });
    return r.exitCode === 0;
}
/** Makes sure `ref` is in the local image store, pulling it when a registry is reachable. */
async function ensureImage(runtime, ref) {
    if (ref.startsWith('-'))
        throw new UserError(`Image reference '${ref}' is not valid.`, 'Give a name like app:1.2 or an image id.');
    if (await imageExists(runtime, ref))
        return;
    runtime.log.info(`Image ${ref} is not local; pulling it.`);
    const pull = await runtime.exec.run('docker', ['pull', ref], { silent: true });
    if (pull.exitCode !== 0) {
        throw new UserError(`The image '${ref}' does not exist locally and could not be pulled (${lastLine(pull.stderr) || 'pull failed'}).`, 'Check the name and tag (docker images lists local ones), log in to its registry first (docker login), or build it with the file/context inputs instead.');
    }
}
/** Number of filesystem layers of a local image, or undefined when it is not local. */
async function layerCount(runtime, ref) {
    const r = await runtime.exec.run('docker', ['image', 'inspect', '--format', '{{len .RootFS.Layers}}', ref], { silent: true });
    if (r.exitCode !== 0)
        return undefined;
    const n = Number(r.stdout.trim());
    return Number.isInteger(n) ? n : undefined;
}
function lastLine(text) {
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    return lines[lines.length - 1] ?? '';
}

// Package-manager residue: caches and indexes a package manager leaves behind that a running container never
// needs. Each location is reported under its own key (the directory, without a leading slash).
const HOME = '(?:root|home/[^/]+)';
const RESIDUE_LOCATIONS = [
    {
        id: 'apt-lists',
        label: 'apt package lists',
        pattern: /^(var\/lib\/apt\/lists)\/(?!lock$)/,
        fix: 'add `&& rm -rf /var/lib/apt/lists/*` to the same RUN as `apt-get update`'
    },
    {
        id: 'apt-archives',
        label: 'apt cache: .deb archives and package caches',
        pattern: /^(var\/cache\/apt)\/(?:archives\/.*\.deb$|[^/]+\.bin$)/,
        fix: 'run `apt-get clean` (or `rm -rf /var/cache/apt/*`) in the same RUN, or use a `--mount=type=cache` for /var/cache/apt'
    },
    {
        id: 'apk-cache',
        label: 'apk cache',
        pattern: /^(var\/cache\/apk|etc\/apk\/cache)\//,
        fix: 'use `apk add --no-cache`'
    },
    {
        id: 'dnf-yum-cache',
        label: 'dnf/yum cache',
        pattern: /^(var\/cache\/(?:dnf|yum))\//,
        fix: 'run `dnf clean all` (or `yum clean all`) in the same RUN'
    },
    {
        id: 'pip-cache',
        label: 'pip cache',
        pattern: new RegExp(`^(${HOME}/\\.cache/pip)/`),
        fix: 'use `pip install --no-cache-dir` or a `--mount=type=cache,target=/root/.cache/pip`'
    },
    {
        id: 'npm-cache',
        label: 'npm cache',
        pattern: new RegExp(`^(${HOME}/\\.npm/_cacache)/`),
        fix: 'run `npm cache clean --force` in the same RUN or use a `--mount=type=cache,target=/root/.npm`'
    },
    {
        id: 'yarn-cache',
        label: 'yarn cache',
        pattern: new RegExp(`^(usr/local/share/\\.cache/yarn|${HOME}/\\.cache/yarn|${HOME}/\\.yarn/berry/cache)/`),
        fix: 'run `yarn cache clean` in the same RUN or use a `--mount=type=cache` for the yarn cache'
    },
    {
        id: 'go-build-cache',
        label: 'Go build cache',
        pattern: new RegExp(`^(${HOME}/\\.cache/go-build|(?:${HOME}/)?go/pkg/mod/cache)/`),
        fix: 'build in a separate stage and copy only the binary, or use a `--mount=type=cache` for the build cache'
    },
    {
        id: 'maven-repository',
        label: 'Maven repository',
        pattern: new RegExp(`^(${HOME}/\\.m2/repository)/`),
        fix: 'build in a separate stage and copy only the artifact into the runtime image'
    },
    {
        id: 'gradle-cache',
        label: 'Gradle cache',
        pattern: new RegExp(`^(${HOME}/\\.gradle/caches)/`),
        fix: 'build in a separate stage and copy only the artifact into the runtime image'
    },
    {
        id: 'cargo-registry',
        label: 'Cargo registry cache',
        pattern: new RegExp(`^((?:${HOME}|usr/local)/\\.?cargo/registry)/`),
        fix: 'build in a separate stage and copy only the binary, or use a `--mount=type=cache` for the registry'
    }
];
/** The residue location a file path belongs to, with its key (the cache directory). */
function residueLocationOf(path) {
    // Cheap prefilter: every location lives under one of these top-level directories.
    const top = path.slice(0, path.indexOf('/'));
    if (top !== 'var' && top !== 'root' && top !== 'home' && top !== 'etc' && top !== 'usr' && top !== 'go')
        return undefined;
    for (const location of RESIDUE_LOCATIONS) {
        const m = location.pattern.exec(path);
        if (m)
            return { location, key: m[1] };
    }
    return undefined;
}

var Kind;
(function (Kind) {
    Kind[Kind["File"] = 0] = "File";
    Kind[Kind["Dir"] = 1] = "Dir";
    Kind[Kind["Symlink"] = 2] = "Symlink";
    Kind[Kind["Hardlink"] = 3] = "Hardlink";
    Kind[Kind["Other"] = 4] = "Other";
    Kind[Kind["WhiteoutDelete"] = 5] = "WhiteoutDelete";
    Kind[Kind["WhiteoutOpaque"] = 6] = "WhiteoutOpaque";
})(Kind || (Kind = {}));
const KIND_CODE = {
    file: Kind.File,
    directory: Kind.Dir,
    symlink: Kind.Symlink,
    hardlink: Kind.Hardlink,
    other: Kind.Other
};
/** One layer's entries as parallel columns: far smaller than an object per entry. */
class LayerColumns {
    paths = [];
    kinds = [];
    sizes = [];
    modes = [];
    links = new Map();
    /** Package counts read from package databases in this layer, by path. */
    packageCounts = new Map();
}
/** Package databases whose content the model reads (bounded), to count installed OS packages. */
const DPKG_STATUS = 'var/lib/dpkg/status';
const APK_INSTALLED = 'lib/apk/db/installed';
const PACKAGE_DB_MAX = 64 * 1024 * 1024;
function countPackages(path, content) {
    const text = content.toString('utf8');
    if (path === APK_INSTALLED)
        return (text.match(/^P:/gm) ?? []).length;
    // dpkg: one stanza per package; only `install ok installed` ones are installed.
    return (text.match(/^Status: .*\binstalled$/gm) ?? []).filter((s) => !/not-installed|config-files/.test(s)).length;
}
class FilesystemModel {
    byKey = new Map();
    root = { kind: Kind.Dir, layer: -1, blob: -1, mode: 0o755, children: new Map() };
    blobSize = [];
    blobLayer = [];
    blobVisible = new Uint8Array(0);
    /** Hidden copies: parallel columns. */
    hPath = [];
    hBlob = [];
    hBytes = [];
    hAdded = [];
    hHidden = [];
    hHow = [];
    /** Directory a whiteout/opaque hid (for grouping `rm -rf dir/`), or the path itself. */
    hGroup = [];
    hiddenIndex = new Map();
    layerCount = 0;
    finished = false;
    packageDbCounts = { dpkgStatusD: 0 };
    layerWaste = { totalBytes: [], wastedBytes: [], entries: [], residue: [] };
    onEntry(e) {
        let cols = this.byKey.get(e.layerKey);
        if (!cols)
            this.byKey.set(e.layerKey, (cols = new LayerColumns()));
        const i = cols.paths.length;
        if (e.whiteout) {
            cols.paths.push(e.whiteout.target);
            cols.kinds.push(e.whiteout.kind === 'opaque' ? Kind.WhiteoutOpaque : Kind.WhiteoutDelete);
            cols.sizes.push(0);
            cols.modes.push(0);
            return;
        }
        cols.paths.push(e.path);
        cols.kinds.push(KIND_CODE[e.kind]);
        // Docker counts a symlink's target length as its size; keep totals consistent with image.size.
        cols.sizes.push(e.kind === 'symlink' ? Buffer.byteLength(e.linkname ?? '') : e.size);
        cols.modes.push(e.mode);
        if (e.kind === 'hardlink' && e.linkname !== undefined)
            cols.links.set(i, e.linkname);
    }
    wantContent(e) {
        return e.path === DPKG_STATUS || e.path === APK_INSTALLED ? PACKAGE_DB_MAX : 0;
    }
    onContent(e, content) {
        let cols = this.byKey.get(e.layerKey);
        if (!cols)
            this.byKey.set(e.layerKey, (cols = new LayerColumns()));
        cols.packageCounts.set(e.path, countPackages(e.path, content));
    }
    finish(layout) {
        this.layerCount = layout.layerOrder.length;
        for (let index = 0; index < layout.layerOrder.length; index++) {
            const key = layout.layerOrder[index];
            const cols = this.byKey.get(key) ?? new LayerColumns();
            this.applyLayer(index, cols);
            // A key can sit at two stack positions (identical layers): keep its columns until the last use.
            if (layout.layerOrder.indexOf(key, index + 1) === -1)
                this.byKey.delete(key);
        }
        this.computeVisibility();
        this.finished = true;
    }
    applyLayer(layer, cols) {
        const n = cols.paths.length;
        const residue = {};
        let total = 0;
        // Whiteouts apply to the layers below, so they go first.
        for (let i = 0; i < n; i++) {
            const kind = cols.kinds[i];
            if (kind === Kind.WhiteoutDelete) {
                const { parent, name } = this.parentOf(cols.paths[i], false);
                const node = parent?.children?.get(name);
                if (node) {
                    this.hide(node, cols.paths[i], layer, 'deleted', cols.paths[i]);
                    parent.children.delete(name);
                }
            }
            else if (kind === Kind.WhiteoutOpaque) {
                const node = this.find(cols.paths[i]);
                if (node?.children) {
                    for (const [name, child] of node.children)
                        this.hide(child, join(cols.paths[i], name), layer, 'opaque', cols.paths[i]);
                    node.children.clear();
                }
            }
        }
        const fileBlobs = new Map();
        for (let i = 0; i < n; i++) {
            const kind = cols.kinds[i];
            if (kind === Kind.WhiteoutDelete || kind === Kind.WhiteoutOpaque)
                continue;
            const path = cols.paths[i];
            const { parent, name } = this.parentOf(path, true, layer);
            const existing = parent.children.get(name);
            if (kind === Kind.Dir) {
                if (existing?.kind === Kind.Dir) {
                    existing.mode = cols.modes[i];
                    continue;
                }
                if (existing)
                    this.hide(existing, path, layer, 'overwritten', path);
                parent.children.set(name, { kind, layer, blob: -1, mode: cols.modes[i], children: new Map() });
                continue;
            }
            if (existing)
                this.hide(existing, path, layer, 'overwritten', path);
            let blob = -1;
            if (kind === Kind.Hardlink) {
                blob = fileBlobs.get(cols.links.get(i) ?? '') ?? -1;
            }
            else {
                const size = cols.sizes[i];
                blob = this.blobSize.length;
                this.blobSize.push(size);
                this.blobLayer.push(layer);
                total += size;
                if (kind === Kind.File) {
                    fileBlobs.set(path, blob);
                    const r = size > 0 ? residueLocationOf(path) : undefined;
                    if (r)
                        residue[r.key] = (residue[r.key] ?? 0) + size;
                }
            }
            parent.children.set(name, { kind, layer, blob, mode: cols.modes[i] });
        }
        for (const [path, count] of cols.packageCounts) {
            // Only the copy visible at the end counts; remember which layer each count belongs to.
            this.pendingPackageCounts.push({ path, layer, count });
        }
        this.layerWaste.totalBytes[layer] = total;
        this.layerWaste.entries[layer] = n;
        this.layerWaste.residue[layer] = residue;
    }
    pendingPackageCounts = [];
    /** Records every non-directory copy under `node` as hidden by `layer`. */
    hide(node, path, layer, how, group) {
        if (node.children) {
            for (const [name, child] of node.children)
                this.hide(child, join(path, name), layer, how, group);
            return;
        }
        const own = node.kind !== Kind.Hardlink && node.blob >= 0;
        const i = this.hPath.length;
        this.hPath.push(path);
        this.hBlob.push(node.blob);
        this.hBytes.push(own ? this.blobSize[node.blob] : 0);
        this.hAdded.push(node.layer);
        this.hHidden.push(layer);
        this.hHow.push(how);
        this.hGroup.push(group);
        this.hiddenIndex.set(`${node.layer}\0${path}`, i);
    }
    find(path) {
        if (path === '')
            return this.root;
        let node = this.root;
        for (const part of path.split('/')) {
            node = node?.children?.get(part);
            if (!node)
                return undefined;
        }
        return node;
    }
    /** Parent directory node of `path`; with `create`, missing (or non-directory) parents become directories. */
    parentOf(path, create, layer = -1) {
        const parts = path.split('/');
        const name = parts.pop();
        let node = this.root;
        let soFar = '';
        for (const part of parts) {
            soFar = soFar ? `${soFar}/${part}` : part;
            let child = node.children.get(part);
            if (!child || !child.children) {
                if (!create)
                    return { parent: undefined, name };
                // A file replaced by a directory in a higher layer: the file is hidden.
                if (child)
                    this.hide(child, soFar, layer, 'overwritten', soFar);
                child = { kind: Kind.Dir, layer, blob: -1, mode: 0o755, children: new Map() };
                node.children.set(part, child);
            }
            node = child;
        }
        return { parent: node, name };
    }
    computeVisibility() {
        this.blobVisible = new Uint8Array(this.blobSize.length);
        this.forEachNode(this.root, '', (_path, node) => {
            if (node.blob >= 0)
                this.blobVisible[node.blob] = 1;
        });
        const wasted = new Array(this.layerCount).fill(0);
        for (let b = 0; b < this.blobSize.length; b++) {
            if (!this.blobVisible[b])
                wasted[this.blobLayer[b]] += this.blobSize[b];
        }
        this.layerWaste.wastedBytes = wasted;
        for (let l = 0; l < this.layerCount; l++) {
            this.layerWaste.totalBytes[l] ??= 0;
            this.layerWaste.entries[l] ??= 0;
            this.layerWaste.residue[l] ??= {};
        }
        // Package counts: the database copies that are visible in the final filesystem.
        const counts = this.packageDbCounts;
        for (const { path, layer, count } of this.pendingPackageCounts) {
            const node = this.find(path);
            if (node?.layer !== layer)
                continue;
            if (path === DPKG_STATUS)
                counts.dpkg = count;
            else if (path === APK_INSTALLED)
                counts.apk = count;
        }
        const statusD = this.find('var/lib/dpkg/status.d');
        counts.dpkgStatusD = statusD?.children ? [...statusD.children.values()].filter((c) => !c.children).length : 0;
        this.pendingPackageCounts = [];
    }
    forEachNode(node, path, fn) {
        if (!node.children)
            return;
        for (const [name, child] of node.children) {
            const p = path ? `${path}/${name}` : name;
            fn(p, child);
            this.forEachNode(child, p, fn);
        }
    }
    assertFinished() {
        if (!this.finished)
            throw new Error('FilesystemModel used before the archive was read');
    }
    /** Visible non-directory entries of the final filesystem. */
    forEachVisible(fn) {
        this.assertFinished();
        this.forEachNode(this.root, '', (path, node) => {
            if (node.children)
                return;
            const kind = node.kind === Kind.File ? 'file' : node.kind === Kind.Symlink ? 'symlink' : node.kind === Kind.Hardlink ? 'hardlink' : 'other';
            const bytes = node.kind === Kind.Hardlink || node.blob < 0 ? 0 : this.blobSize[node.blob];
            fn({ path, kind, bytes, layer: node.layer, mode: node.mode });
        });
    }
    /** Total bytes over all layers, bytes visible in the final filesystem, and the difference. */
    totals() {
        this.assertFinished();
        let total = 0;
        let visible = 0;
        for (let b = 0; b < this.blobSize.length; b++) {
            total += this.blobSize[b];
            if (this.blobVisible[b])
                visible += this.blobSize[b];
        }
        return { totalBytes: total, visibleBytes: visible, wastedBytes: total - visible };
    }
    /** Wasted bytes split by where the hiding happened: inside the base layers, or in the user's layers. */
    wasteSplit(baseLayerCount) {
        this.assertFinished();
        let base = 0;
        let user = 0;
        for (let i = 0; i < this.hPath.length; i++) {
            if (this.hBytes[i] === 0 || this.blobVisible[this.hBlob[i]])
                continue;
            if (this.hHidden[i] < baseLayerCount)
                base += this.hBytes[i];
            else
                user += this.hBytes[i];
        }
        return { base, user };
    }
    /**
     * Largest wasted items. Copies hidden together by one whiteout or opaque directory (`rm -rf dir/`) are one
     * item named after the directory; overwritten files are listed one by one.
     */
    wastedFiles(limit = 20) {
        this.assertFinished();
        const groups = new Map();
        for (let i = 0; i < this.hPath.length; i++) {
            const bytes = this.hBytes[i];
            if (bytes === 0 || this.blobVisible[this.hBlob[i]])
                continue;
            const how = this.hHow[i];
            const path = how === 'overwritten' ? this.hPath[i] : this.hGroup[i];
            const key = `${this.hAdded[i]}\0${this.hHidden[i]}\0${how}\0${path}`;
            const g = groups.get(key);
            if (g)
                g.bytes += bytes;
            else
                groups.set(key, { path, bytes, addedInLayer: this.hAdded[i], hiddenInLayer: this.hHidden[i], how });
        }
        return [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, limit);
    }
    /** Visible bytes per top-level directory (`du -s /*`), largest first. */
    largestDirectories(limit = 10) {
        this.assertFinished();
        const out = [];
        for (const [name, child] of this.root.children) {
            if (!child.children)
                continue;
            let bytes = 0;
            this.forEachNode(child, name, (_p, node) => {
                if (!node.children && node.kind !== Kind.Hardlink && node.blob >= 0)
                    bytes += this.blobSize[node.blob];
            });
            out.push({ path: name, bytes });
        }
        return out.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, limit);
    }
    /** Installed OS packages from the visible dpkg status / apk database, undefined when there is none. */
    packages() {
        this.assertFinished();
        const c = this.packageDbCounts;
        if (c.dpkg === undefined && c.apk === undefined && c.dpkgStatusD === 0)
            return undefined;
        return (c.dpkg ?? 0) + (c.apk ?? 0) + c.dpkgStatusD;
    }
    visibility() {
        this.assertFinished();
        return {
            lookup: (rawPath, layerIndex) => {
                const path = rawPath.replace(/^\.?\/+/, '').replace(/\/+$/, '');
                const h = this.hiddenIndex.get(`${layerIndex}\0${path}`);
                if (h !== undefined)
                    return { visibleInFinal: false, hiddenInLayer: this.hHidden[h], how: this.hHow[h] };
                const node = this.find(path);
                return { visibleInFinal: node !== undefined && (node.layer === layerIndex || node.kind === Kind.Dir) };
            }
        };
    }
}
const join = (dir, name) => (dir ? `${dir}/${name}` : name);

var tarStream = {};

var _default;
var hasRequired_default;

function require_default () {
	if (hasRequired_default) return _default;
	hasRequired_default = 1;
	_default = require$$0$4;
	return _default;
}

var fixedSize;
var hasRequiredFixedSize;

function requireFixedSize () {
	if (hasRequiredFixedSize) return fixedSize;
	hasRequiredFixedSize = 1;
	fixedSize = class FixedFIFO {
	  constructor (hwm) {
	    if (!(hwm > 0) || ((hwm - 1) & hwm) !== 0) throw new Error('Max size for a FixedFIFO should be a power of two')
	    this.buffer = new Array(hwm);
	    this.mask = hwm - 1;
	    this.top = 0;
	    this.btm = 0;
	    this.next = null;
	  }

	  clear () {
	    this.top = this.btm = 0;
	    this.next = null;
	    this.buffer.fill(undefined);
	  }

	  push (data) {
	    if (this.buffer[this.top] !== undefined) return false
	    this.buffer[this.top] = data;
	    this.top = (this.top + 1) & this.mask;
	    return true
	  }

	  shift () {
	    const last = this.buffer[this.btm];
	    if (last === undefined) return undefined
	    this.buffer[this.btm] = undefined;
	    this.btm = (this.btm + 1) & this.mask;
	    return last
	  }

	  peek () {
	    return this.buffer[this.btm]
	  }

	  isEmpty () {
	    return this.buffer[this.btm] === undefined
	  }
	};
	return fixedSize;
}

var fastFifo;
var hasRequiredFastFifo;

function requireFastFifo () {
	if (hasRequiredFastFifo) return fastFifo;
	hasRequiredFastFifo = 1;
	const FixedFIFO = requireFixedSize();

	fastFifo = class FastFIFO {
	  constructor (hwm) {
	    this.hwm = hwm || 16;
	    this.head = new FixedFIFO(this.hwm);
	    this.tail = this.head;
	    this.length = 0;
	  }

	  clear () {
	    this.head = this.tail;
	    this.head.clear();
	    this.length = 0;
	  }

	  push (val) {
	    this.length++;
	    if (!this.head.push(val)) {
	      const prev = this.head;
	      this.head = prev.next = new FixedFIFO(2 * this.head.buffer.length);
	      this.head.push(val);
	    }
	  }

	  shift () {
	    if (this.length !== 0) this.length--;
	    const val = this.tail.shift();
	    if (val === undefined && this.tail.next) {
	      const next = this.tail.next;
	      this.tail.next = null;
	      this.tail = next;
	      return this.tail.shift()
	    }

	    return val
	  }

	  peek () {
	    const val = this.tail.peek();
	    if (val === undefined && this.tail.next) return this.tail.next.peek()
	    return val
	  }

	  isEmpty () {
	    return this.length === 0
	  }
	};
	return fastFifo;
}

var b4a;
var hasRequiredB4a;

function requireB4a () {
	if (hasRequiredB4a) return b4a;
	hasRequiredB4a = 1;
	function isBuffer(value) {
	  return Buffer.isBuffer(value) || value instanceof Uint8Array
	}

	function isEncoding(encoding) {
	  return Buffer.isEncoding(encoding)
	}

	function alloc(size, fill, encoding) {
	  return Buffer.alloc(size, fill, encoding)
	}

	function allocUnsafe(size) {
	  return Buffer.allocUnsafe(size)
	}

	function allocUnsafeSlow(size) {
	  return Buffer.allocUnsafeSlow(size)
	}

	function byteLength(string, encoding) {
	  return Buffer.byteLength(string, encoding)
	}

	function compare(a, b) {
	  return Buffer.compare(a, b)
	}

	function concat(buffers, totalLength) {
	  return Buffer.concat(buffers, totalLength)
	}

	function copy(source, target, targetStart, start, end) {
	  return toBuffer(source).copy(target, targetStart, start, end)
	}

	function equals(a, b) {
	  return toBuffer(a).equals(b)
	}

	function fill(buffer, value, offset, end, encoding) {
	  return toBuffer(buffer).fill(value, offset, end, encoding)
	}

	function from(value, encodingOrOffset, length) {
	  return Buffer.from(value, encodingOrOffset, length)
	}

	function includes(buffer, value, byteOffset, encoding) {
	  return toBuffer(buffer).includes(value, byteOffset, encoding)
	}

	function indexOf(buffer, value, byfeOffset, encoding) {
	  return toBuffer(buffer).indexOf(value, byfeOffset, encoding)
	}

	function lastIndexOf(buffer, value, byteOffset, encoding) {
	  return toBuffer(buffer).lastIndexOf(value, byteOffset, encoding)
	}

	function swap16(buffer) {
	  return toBuffer(buffer).swap16()
	}

	function swap32(buffer) {
	  return toBuffer(buffer).swap32()
	}

	function swap64(buffer) {
	  return toBuffer(buffer).swap64()
	}

	function toBuffer(buffer) {
	  if (Buffer.isBuffer(buffer)) return buffer
	  return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength)
	}

	function toString(buffer, encoding, start, end) {
	  return toBuffer(buffer).toString(encoding, start, end)
	}

	function toHex(buffer, start, end) {
	  return toBuffer(buffer).toString('hex', start, end)
	}

	function write(buffer, string, offset, length, encoding) {
	  return toBuffer(buffer).write(string, offset, length, encoding)
	}

	function readDoubleBE(buffer, offset) {
	  return toBuffer(buffer).readDoubleBE(offset)
	}

	function readDoubleLE(buffer, offset) {
	  return toBuffer(buffer).readDoubleLE(offset)
	}

	function readFloatBE(buffer, offset) {
	  return toBuffer(buffer).readFloatBE(offset)
	}

	function readFloatLE(buffer, offset) {
	  return toBuffer(buffer).readFloatLE(offset)
	}

	function readInt32BE(buffer, offset) {
	  return toBuffer(buffer).readInt32BE(offset)
	}

	function readInt32LE(buffer, offset) {
	  return toBuffer(buffer).readInt32LE(offset)
	}

	function readUInt32BE(buffer, offset) {
	  return toBuffer(buffer).readUInt32BE(offset)
	}

	function readUInt32LE(buffer, offset) {
	  return toBuffer(buffer).readUInt32LE(offset)
	}

	function writeDoubleBE(buffer, value, offset) {
	  return toBuffer(buffer).writeDoubleBE(value, offset)
	}

	function writeDoubleLE(buffer, value, offset) {
	  return toBuffer(buffer).writeDoubleLE(value, offset)
	}

	function writeFloatBE(buffer, value, offset) {
	  return toBuffer(buffer).writeFloatBE(value, offset)
	}

	function writeFloatLE(buffer, value, offset) {
	  return toBuffer(buffer).writeFloatLE(value, offset)
	}

	function writeInt32BE(buffer, value, offset) {
	  return toBuffer(buffer).writeInt32BE(value, offset)
	}

	function writeInt32LE(buffer, value, offset) {
	  return toBuffer(buffer).writeInt32LE(value, offset)
	}

	function writeUInt32BE(buffer, value, offset) {
	  return toBuffer(buffer).writeUInt32BE(value, offset)
	}

	function writeUInt32LE(buffer, value, offset) {
	  return toBuffer(buffer).writeUInt32LE(value, offset)
	}

	b4a = {
	  isBuffer,
	  isEncoding,
	  alloc,
	  allocUnsafe,
	  allocUnsafeSlow,
	  byteLength,
	  compare,
	  concat,
	  copy,
	  equals,
	  fill,
	  from,
	  includes,
	  indexOf,
	  lastIndexOf,
	  swap16,
	  swap32,
	  swap64,
	  toBuffer,
	  toString,
	  toHex,
	  write,
	  readDoubleBE,
	  readDoubleLE,
	  readFloatBE,
	  readFloatLE,
	  readInt32BE,
	  readInt32LE,
	  readUInt32BE,
	  readUInt32LE,
	  writeDoubleBE,
	  writeDoubleLE,
	  writeFloatBE,
	  writeFloatLE,
	  writeInt32BE,
	  writeInt32LE,
	  writeUInt32BE,
	  writeUInt32LE
	};
	return b4a;
}

var passThroughDecoder;
var hasRequiredPassThroughDecoder;

function requirePassThroughDecoder () {
	if (hasRequiredPassThroughDecoder) return passThroughDecoder;
	hasRequiredPassThroughDecoder = 1;
	const b4a = requireB4a();

	passThroughDecoder = class PassThroughDecoder {
	  constructor(encoding) {
	    this.encoding = encoding;
	  }

	  get remaining() {
	    return 0
	  }

	  decode(data) {
	    return b4a.toString(data, this.encoding)
	  }

	  flush() {
	    return ''
	  }
	};
	return passThroughDecoder;
}

var utf8Decoder;
var hasRequiredUtf8Decoder;

function requireUtf8Decoder () {
	if (hasRequiredUtf8Decoder) return utf8Decoder;
	hasRequiredUtf8Decoder = 1;
	const b4a = requireB4a();

	/**
	 * https://encoding.spec.whatwg.org/#utf-8-decoder
	 */
	utf8Decoder = class UTF8Decoder {
	  constructor() {
	    this._reset();
	  }

	  get remaining() {
	    return this.bytesSeen
	  }

	  decode(data) {
	    if (data.byteLength === 0) return ''

	    if (this.bytesNeeded === 0 && trailingIncomplete(data, 0) === 0) {
	      this.bytesSeen = trailingBytesSeen(data);
	      return b4a.toString(data, 'utf8')
	    }

	    let result = '';
	    let start = 0;

	    if (this.bytesNeeded > 0) {
	      while (start < data.byteLength) {
	        const byte = data[start];

	        if (byte < this.lowerBoundary || byte > this.upperBoundary) {
	          result += '\ufffd';
	          this._reset();
	          break
	        }

	        this.lowerBoundary = 0x80;
	        this.upperBoundary = 0xbf;
	        this.codePoint = (this.codePoint << 6) | (byte & 0x3f);
	        this.bytesSeen++;
	        start++;

	        if (this.bytesSeen === this.bytesNeeded) {
	          result += String.fromCodePoint(this.codePoint);
	          this._reset();
	          break
	        }
	      }

	      if (this.bytesNeeded > 0) return result
	    }

	    const trailing = trailingIncomplete(data, start);
	    const end = data.byteLength - trailing;

	    if (end > start) result += b4a.toString(data, 'utf8', start, end);

	    for (let i = end; i < data.byteLength; i++) {
	      const byte = data[i];

	      if (this.bytesNeeded === 0) {
	        if (byte <= 0x7f) {
	          this.bytesSeen = 0;
	          result += String.fromCharCode(byte);
	        } else if (byte >= 0xc2 && byte <= 0xdf) {
	          this.bytesNeeded = 2;
	          this.bytesSeen = 1;
	          this.codePoint = byte & 0x1f;
	        } else if (byte >= 0xe0 && byte <= 0xef) {
	          if (byte === 0xe0) this.lowerBoundary = 0xa0;
	          else if (byte === 0xed) this.upperBoundary = 0x9f;
	          this.bytesNeeded = 3;
	          this.bytesSeen = 1;
	          this.codePoint = byte & 0xf;
	        } else if (byte >= 0xf0 && byte <= 0xf4) {
	          if (byte === 0xf0) this.lowerBoundary = 0x90;
	          else if (byte === 0xf4) this.upperBoundary = 0x8f;
	          this.bytesNeeded = 4;
	          this.bytesSeen = 1;
	          this.codePoint = byte & 0x7;
	        } else {
	          this.bytesSeen = 1;
	          result += '\ufffd';
	        }

	        continue
	      }

	      if (byte < this.lowerBoundary || byte > this.upperBoundary) {
	        result += '\ufffd';
	        i--;
	        this._reset();

	        continue
	      }

	      this.lowerBoundary = 0x80;
	      this.upperBoundary = 0xbf;

	      this.codePoint = (this.codePoint << 6) | (byte & 0x3f);
	      this.bytesSeen++;

	      if (this.bytesSeen === this.bytesNeeded) {
	        result += String.fromCodePoint(this.codePoint);
	        this._reset();
	      }
	    }

	    return result
	  }

	  flush() {
	    const result = this.bytesNeeded > 0 ? '\ufffd' : '';
	    this._reset();
	    return result
	  }

	  _reset() {
	    this.codePoint = 0;
	    this.bytesNeeded = 0;
	    this.bytesSeen = 0;
	    this.lowerBoundary = 0x80;
	    this.upperBoundary = 0xbf;
	  }
	};

	function trailingIncomplete(data, start) {
	  const len = data.byteLength;
	  if (len <= start) return 0

	  const limit = Math.max(start, len - 4);

	  let i = len - 1;
	  while (i > limit && (data[i] & 0xc0) === 0x80) i--;

	  if (i < start) return 0

	  const byte = data[i];

	  let needed;
	  if (byte <= 0x7f) return 0
	  if (byte >= 0xc2 && byte <= 0xdf) needed = 2;
	  else if (byte >= 0xe0 && byte <= 0xef) needed = 3;
	  else if (byte >= 0xf0 && byte <= 0xf4) needed = 4;
	  else return 0

	  const available = len - i;
	  return available < needed ? available : 0
	}

	function trailingBytesSeen(data) {
	  const len = data.byteLength;
	  if (len === 0) return 0

	  const last = data[len - 1];

	  if (last <= 0x7f) return 0
	  if ((last & 0xc0) !== 0x80) return 1

	  const limit = Math.max(0, len - 4);

	  let i = len - 2;
	  while (i >= limit && (data[i] & 0xc0) === 0x80) i--;

	  if (i < 0) return 1

	  const first = data[i];

	  let needed;
	  if (first >= 0xc2 && first <= 0xdf) needed = 2;
	  else if (first >= 0xe0 && first <= 0xef) needed = 3;
	  else if (first >= 0xf0 && first <= 0xf4) needed = 4;
	  else return 1

	  if (len - i !== needed) return 1

	  if (needed >= 3) {
	    const second = data[i + 1];
	    if (first === 0xe0 && second < 0xa0) return 1
	    if (first === 0xed && second > 0x9f) return 1
	    if (first === 0xf0 && second < 0x90) return 1
	    if (first === 0xf4 && second > 0x8f) return 1
	  }

	  return 0
	}
	return utf8Decoder;
}

var textDecoder;
var hasRequiredTextDecoder;

function requireTextDecoder () {
	if (hasRequiredTextDecoder) return textDecoder;
	hasRequiredTextDecoder = 1;
	const PassThroughDecoder = requirePassThroughDecoder();
	const UTF8Decoder = requireUtf8Decoder();

	textDecoder = class TextDecoder {
	  constructor(encoding = 'utf8') {
	    this.encoding = normalizeEncoding(encoding);

	    switch (this.encoding) {
	      case 'utf8':
	        this.decoder = new UTF8Decoder();
	        break
	      case 'utf16le':
	      case 'base64':
	        throw new Error('Unsupported encoding: ' + this.encoding)
	      default:
	        this.decoder = new PassThroughDecoder(this.encoding);
	    }
	  }

	  get remaining() {
	    return this.decoder.remaining
	  }

	  push(data) {
	    if (typeof data === 'string') return data
	    return this.decoder.decode(data)
	  }

	  // For Node.js compatibility
	  write(data) {
	    return this.push(data)
	  }

	  end(data) {
	    let result = '';
	    if (data) result = this.push(data);
	    result += this.decoder.flush();
	    return result
	  }
	};

	function normalizeEncoding(encoding) {
	  encoding = encoding.toLowerCase();

	  switch (encoding) {
	    case 'utf8':
	    case 'utf-8':
	      return 'utf8'
	    case 'ucs2':
	    case 'ucs-2':
	    case 'utf16le':
	    case 'utf-16le':
	      return 'utf16le'
	    case 'latin1':
	    case 'binary':
	      return 'latin1'
	    case 'base64':
	    case 'ascii':
	    case 'hex':
	      return encoding
	    default:
	      throw new Error('Unknown encoding: ' + encoding)
	  }
	}
	return textDecoder;
}

var errors;
var hasRequiredErrors;

function requireErrors () {
	if (hasRequiredErrors) return errors;
	hasRequiredErrors = 1;
	errors = class StreamError extends Error {
	  constructor(msg, code, fn = StreamError) {
	    super(msg);

	    this.code = code;

	    if (Error.captureStackTrace) {
	      Error.captureStackTrace(this, fn);
	    }
	  }

	  static isStreamDestroyed(err) {
	    return err && err.code === 'STREAM_DESTROYED'
	  }

	  static isPrematureClose(err) {
	    return err && err.code === 'PREMATURE_CLOSE'
	  }

	  static isAborted(err) {
	    return err && err.code === 'ABORTED'
	  }

	  static isBadArgument(err) {
	    return err && err.code === 'BAD_ARGUMENT'
	  }

	  get name() {
	    return 'StreamError'
	  }

	  static STREAM_DESTROYED() {
	    return new StreamError('Stream was destroyed', 'STREAM_DESTROYED', StreamError.STREAM_DESTROYED)
	  }

	  static PREMATURE_CLOSE(msg = 'Premature close') {
	    return new StreamError(msg, 'PREMATURE_CLOSE', StreamError.PREMATURE_CLOSE)
	  }

	  static ABORTED() {
	    return new StreamError('Stream aborted', 'ABORTED', StreamError.ABORTED)
	  }

	  static BAD_ARGUMENT(msg = 'Bad argument') {
	    return new StreamError(msg, 'BAD_ARGUMENT', StreamError.BAD_ARGUMENT)
	  }
	};
	return errors;
}

var streamx;
var hasRequiredStreamx;

function requireStreamx () {
	if (hasRequiredStreamx) return streamx;
	hasRequiredStreamx = 1;
	const { EventEmitter } = require_default();
	const FIFO = requireFastFifo();
	const TextDecoder = requireTextDecoder();

	const StreamError = requireErrors();

	// if we do a future major, expect queue microtask to be there always, for now a bit defensive
	const qmt =
	  typeof queueMicrotask === 'undefined' ? (fn) => commonjsGlobal.process.nextTick(fn) : queueMicrotask;

	// 29 bits used total (4 from shared, 14 from read, and 11 from write)
	const MAX = (1 << 29) - 1;

	// Shared state
	const OPENING = 0b0001;
	const PREDESTROYING = 0b0010;
	const DESTROYING = 0b0100;
	const DESTROYED = 0b1000;

	const NOT_OPENING = MAX ^ OPENING;
	const NOT_PREDESTROYING = MAX ^ PREDESTROYING;

	// Read state (4 bit offset from shared state)
	const READ_ACTIVE = 0b00000000000001 << 4;
	const READ_UPDATING = 0b00000000000010 << 4;
	const READ_PRIMARY = 0b00000000000100 << 4;
	const READ_QUEUED = 0b00000000001000 << 4;
	const READ_RESUMED = 0b00000000010000 << 4;
	const READ_PIPE_DRAINED = 0b00000000100000 << 4;
	const READ_ENDING = 0b00000001000000 << 4;
	const READ_EMIT_DATA = 0b00000010000000 << 4;
	const READ_EMIT_READABLE = 0b00000100000000 << 4;
	const READ_EMITTED_READABLE = 0b00001000000000 << 4;
	const READ_DONE = 0b00010000000000 << 4;
	const READ_NEXT_TICK = 0b00100000000000 << 4;
	const READ_NEEDS_PUSH = 0b01000000000000 << 4;
	const READ_READ_AHEAD = 0b10000000000000 << 4;

	// Combined read state
	const READ_FLOWING = READ_RESUMED | READ_PIPE_DRAINED;
	const READ_ACTIVE_AND_NEEDS_PUSH = READ_ACTIVE | READ_NEEDS_PUSH;
	const READ_PRIMARY_AND_ACTIVE = READ_PRIMARY | READ_ACTIVE;
	const READ_EMIT_READABLE_AND_QUEUED = READ_EMIT_READABLE | READ_QUEUED;
	const READ_RESUMED_READ_AHEAD = READ_RESUMED | READ_READ_AHEAD;

	const READ_NOT_ACTIVE = MAX ^ READ_ACTIVE;
	const READ_NON_PRIMARY = MAX ^ READ_PRIMARY;
	const READ_NON_PRIMARY_AND_PUSHED = MAX ^ (READ_PRIMARY | READ_NEEDS_PUSH);
	const READ_PUSHED = MAX ^ READ_NEEDS_PUSH;
	const READ_PAUSED = MAX ^ READ_RESUMED;
	const READ_NOT_QUEUED = MAX ^ (READ_QUEUED | READ_EMITTED_READABLE);
	const READ_NOT_ENDING = MAX ^ READ_ENDING;
	const READ_PIPE_NOT_DRAINED = MAX ^ READ_FLOWING;
	const READ_NOT_NEXT_TICK = MAX ^ READ_NEXT_TICK;
	const READ_NOT_UPDATING = MAX ^ READ_UPDATING;
	const READ_NO_READ_AHEAD = MAX ^ READ_READ_AHEAD;
	const READ_PAUSED_NO_READ_AHEAD = MAX ^ READ_RESUMED_READ_AHEAD;

	// Write state (18 bit offset, 4 bit offset from shared state and 14 from read state)
	const WRITE_ACTIVE = 0b00000000001 << 18;
	const WRITE_UPDATING = 0b00000000010 << 18;
	const WRITE_PRIMARY = 0b00000000100 << 18;
	const WRITE_QUEUED = 0b00000001000 << 18;
	const WRITE_UNDRAINED = 0b00000010000 << 18;
	const WRITE_DONE = 0b00000100000 << 18;
	const WRITE_EMIT_DRAIN = 0b00001000000 << 18;
	const WRITE_NEXT_TICK = 0b00010000000 << 18;
	const WRITE_WRITING = 0b00100000000 << 18;
	const WRITE_FINISHING = 0b01000000000 << 18;
	const WRITE_CORKED = 0b10000000000 << 18;

	const WRITE_NOT_ACTIVE = MAX ^ (WRITE_ACTIVE | WRITE_WRITING);
	const WRITE_NON_PRIMARY = MAX ^ WRITE_PRIMARY;
	const WRITE_NOT_FINISHING = MAX ^ (WRITE_ACTIVE | WRITE_FINISHING);
	const WRITE_DRAINED = MAX ^ WRITE_UNDRAINED;
	const WRITE_NOT_QUEUED = MAX ^ WRITE_QUEUED;
	const WRITE_NOT_NEXT_TICK = MAX ^ WRITE_NEXT_TICK;
	const WRITE_NOT_UPDATING = MAX ^ WRITE_UPDATING;
	const WRITE_NOT_CORKED = MAX ^ WRITE_CORKED;

	// Combined shared state
	const ACTIVE = READ_ACTIVE | WRITE_ACTIVE;
	const NOT_ACTIVE = MAX ^ ACTIVE;
	const DONE = READ_DONE | WRITE_DONE;
	const DESTROY_STATUS = DESTROYING | DESTROYED | PREDESTROYING;
	const OPEN_STATUS = DESTROY_STATUS | OPENING;
	const AUTO_DESTROY = DESTROY_STATUS | DONE;
	const NON_PRIMARY = WRITE_NON_PRIMARY & READ_NON_PRIMARY;
	const ACTIVE_OR_TICKING = WRITE_NEXT_TICK | READ_NEXT_TICK;
	const TICKING = ACTIVE_OR_TICKING & NOT_ACTIVE;
	const IS_OPENING = OPEN_STATUS | TICKING;

	// Combined shared state and read state
	const READ_PRIMARY_STATUS = OPEN_STATUS | READ_ENDING | READ_DONE;
	const READ_STATUS = OPEN_STATUS | READ_DONE | READ_QUEUED;
	const READ_ENDING_STATUS = OPEN_STATUS | READ_ENDING | READ_QUEUED;
	const READ_READABLE_STATUS = OPEN_STATUS | READ_EMIT_READABLE | READ_QUEUED | READ_EMITTED_READABLE;
	const SHOULD_NOT_READ =
	  OPEN_STATUS | READ_ACTIVE | READ_ENDING | READ_DONE | READ_NEEDS_PUSH | READ_READ_AHEAD;
	const READ_BACKPRESSURE_STATUS = DESTROY_STATUS | READ_ENDING | READ_DONE;
	const READ_UPDATE_SYNC_STATUS = READ_UPDATING | OPEN_STATUS | READ_NEXT_TICK | READ_PRIMARY;
	const READ_NEXT_TICK_OR_OPENING = READ_NEXT_TICK | OPENING;

	// Combined write state
	const WRITE_PRIMARY_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_DONE;
	const WRITE_QUEUED_AND_UNDRAINED = WRITE_QUEUED | WRITE_UNDRAINED;
	const WRITE_QUEUED_AND_ACTIVE = WRITE_QUEUED | WRITE_ACTIVE;
	const WRITE_DRAIN_STATUS = WRITE_QUEUED | WRITE_UNDRAINED | OPEN_STATUS | WRITE_ACTIVE;
	const WRITE_STATUS = OPEN_STATUS | WRITE_ACTIVE | WRITE_QUEUED | WRITE_CORKED;
	const WRITE_PRIMARY_AND_ACTIVE = WRITE_PRIMARY | WRITE_ACTIVE;
	const WRITE_ACTIVE_AND_WRITING = WRITE_ACTIVE | WRITE_WRITING;
	const WRITE_FINISHING_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_QUEUED_AND_ACTIVE | WRITE_DONE;
	const WRITE_BACKPRESSURE_STATUS = WRITE_UNDRAINED | DESTROY_STATUS | WRITE_FINISHING | WRITE_DONE;
	const WRITE_UPDATE_SYNC_STATUS = WRITE_UPDATING | OPEN_STATUS | WRITE_NEXT_TICK | WRITE_PRIMARY;
	const WRITE_DROP_DATA = WRITE_FINISHING | WRITE_DONE | DESTROY_STATUS;

	const asyncIterator = Symbol.asyncIterator || Symbol('asyncIterator');

	class WritableState {
	  constructor(
	    stream,
	    { highWaterMark = 16384, map = null, mapWritable, byteLength, byteLengthWritable } = {}
	  ) {
	    this.stream = stream;
	    this.queue = new FIFO();
	    this.highWaterMark = highWaterMark;
	    this.buffered = 0;
	    this.error = null;
	    this.pipeline = null;
	    this.drains = null; // if we add more seldomly used helpers we might them into a subobject so its a single ptr
	    this.byteLength = byteLengthWritable || byteLength || defaultByteLength;
	    this.map = mapWritable || map;
	    this.afterWrite = afterWrite.bind(this);
	    this.afterUpdateNextTick = updateWriteNT.bind(this);
	  }

	  get ending() {
	    return (this.stream._duplexState & WRITE_FINISHING) !== 0
	  }

	  get ended() {
	    return (this.stream._duplexState & WRITE_DONE) !== 0
	  }

	  push(data) {
	    if ((this.stream._duplexState & WRITE_DROP_DATA) !== 0) return false
	    if (this.map !== null) data = this.map(data);

	    this.buffered += this.byteLength(data);
	    this.queue.push(data);

	    if (this.buffered < this.highWaterMark) {
	      this.stream._duplexState |= WRITE_QUEUED;
	      return true
	    }

	    this.stream._duplexState |= WRITE_QUEUED_AND_UNDRAINED;
	    return false
	  }

	  shift() {
	    const data = this.queue.shift();

	    this.buffered -= this.byteLength(data);
	    if (this.buffered === 0) this.stream._duplexState &= WRITE_NOT_QUEUED;

	    return data
	  }

	  end(data) {
	    if (typeof data === 'function') {
	      this.stream.once('finish', data);
	    } else if (data !== undefined && data !== null) {
	      this.push(data);
	    }

	    this.stream._duplexState = (this.stream._duplexState | WRITE_FINISHING) & WRITE_NON_PRIMARY;
	  }

	  autoBatch(data, cb) {
	    const buffer = [];
	    const stream = this.stream;

	    buffer.push(data);
	    while ((stream._duplexState & WRITE_STATUS) === WRITE_QUEUED_AND_ACTIVE) {
	      buffer.push(stream._writableState.shift());
	    }

	    if ((stream._duplexState & OPEN_STATUS) !== 0) return cb(null)
	    stream._writev(buffer, cb);
	  }

	  update() {
	    const stream = this.stream;

	    stream._duplexState |= WRITE_UPDATING;

	    do {
	      while ((stream._duplexState & WRITE_STATUS) === WRITE_QUEUED) {
	        const data = this.shift();
	        stream._duplexState |= WRITE_ACTIVE_AND_WRITING;
	        stream._write(data, this.afterWrite);
	      }

	      if ((stream._duplexState & WRITE_PRIMARY_AND_ACTIVE) === 0) this.updateNonPrimary();
	    } while (this.continueUpdate() === true)

	    stream._duplexState &= WRITE_NOT_UPDATING;
	  }

	  updateNonPrimary() {
	    const stream = this.stream;

	    if ((stream._duplexState & WRITE_FINISHING_STATUS) === WRITE_FINISHING) {
	      stream._duplexState = stream._duplexState | WRITE_ACTIVE;
	      stream._final(afterFinal.bind(this));
	      return
	    }

	    if ((stream._duplexState & DESTROY_STATUS) === DESTROYING) {
	      if ((stream._duplexState & ACTIVE_OR_TICKING) === 0) {
	        stream._duplexState |= ACTIVE;
	        stream._destroy(afterDestroy.bind(this));
	      }
	      return
	    }

	    if ((stream._duplexState & IS_OPENING) === OPENING) {
	      stream._duplexState = (stream._duplexState | ACTIVE) & NOT_OPENING;
	      stream._open(afterOpen.bind(this));
	    }
	  }

	  continueUpdate() {
	    if ((this.stream._duplexState & WRITE_NEXT_TICK) === 0) return false
	    this.stream._duplexState &= WRITE_NOT_NEXT_TICK;
	    return true
	  }

	  updateCallback() {
	    if ((this.stream._duplexState & WRITE_UPDATE_SYNC_STATUS) === WRITE_PRIMARY) {
	      this.update();
	    } else {
	      this.updateNextTick();
	    }
	  }

	  updateNextTick() {
	    if ((this.stream._duplexState & WRITE_NEXT_TICK) !== 0) return
	    this.stream._duplexState |= WRITE_NEXT_TICK;
	    if ((this.stream._duplexState & WRITE_UPDATING) === 0) qmt(this.afterUpdateNextTick);
	  }
	}

	class ReadableState {
	  constructor(
	    stream,
	    { highWaterMark = 16384, map = null, mapReadable, byteLength, byteLengthReadable } = {}
	  ) {
	    this.stream = stream;
	    this.queue = new FIFO();
	    this.highWaterMark = highWaterMark === 0 ? 1 : highWaterMark;
	    this.buffered = 0;
	    this.readAhead = highWaterMark > 0;
	    this.error = null;
	    this.pipeline = null;
	    this.byteLength = byteLengthReadable || byteLength || defaultByteLength;
	    this.map = mapReadable || map;
	    this.pipeTo = null;
	    this.afterRead = afterRead.bind(this);
	    this.afterUpdateNextTick = updateReadNT.bind(this);
	  }

	  get ending() {
	    return (this.stream._duplexState & READ_ENDING) !== 0
	  }

	  get ended() {
	    return (this.stream._duplexState & READ_DONE) !== 0
	  }

	  pipe(pipeTo, cb) {
	    if (this.pipeTo !== null) throw StreamError.BAD_ARGUMENT('Can only pipe to one destination')
	    if (typeof cb !== 'function') cb = null;

	    this.stream._duplexState |= READ_PIPE_DRAINED;
	    this.pipeTo = pipeTo;
	    this.pipeline = new Pipeline(this.stream, pipeTo, cb);

	    if (cb) this.stream.on('error', noop); // We already error handle this so supress crashes

	    if (isStreamx(pipeTo)) {
	      pipeTo._writableState.pipeline = this.pipeline;
	      if (cb) pipeTo.on('error', noop); // We already error handle this so supress crashes
	      pipeTo.on('finish', this.pipeline.finished.bind(this.pipeline)); // TODO: just call finished from pipeTo itself
	    } else {
	      const onerror = this.pipeline.done.bind(this.pipeline, pipeTo);
	      const onclose = this.pipeline.done.bind(this.pipeline, pipeTo, null); // onclose has a weird bool arg
	      pipeTo.on('error', onerror);
	      pipeTo.on('close', onclose);
	      pipeTo.on('finish', this.pipeline.finished.bind(this.pipeline));
	    }

	    pipeTo.on('drain', afterDrain.bind(this));
	    this.stream.emit('piping', pipeTo);
	    pipeTo.emit('pipe', this.stream);
	  }

	  push(data) {
	    const stream = this.stream;

	    if (data === null) {
	      this.highWaterMark = 0;
	      stream._duplexState = (stream._duplexState | READ_ENDING) & READ_NON_PRIMARY_AND_PUSHED;
	      return false
	    }

	    if (this.map !== null) {
	      data = this.map(data);
	      if (data === null) {
	        stream._duplexState &= READ_PUSHED;
	        return this.buffered < this.highWaterMark
	      }
	    }

	    this.buffered += this.byteLength(data);
	    this.queue.push(data);

	    stream._duplexState = (stream._duplexState | READ_QUEUED) & READ_PUSHED;

	    return this.buffered < this.highWaterMark
	  }

	  shift() {
	    const data = this.queue.shift();

	    this.buffered -= this.byteLength(data);
	    if (this.buffered === 0) {
	      this.stream._duplexState &= READ_NOT_QUEUED;
	    }

	    return data
	  }

	  unshift(data) {
	    const pending = [this.map !== null ? this.map(data) : data];
	    while (this.buffered > 0) pending.push(this.shift());

	    for (let i = 0; i < pending.length - 1; i++) {
	      const data = pending[i];
	      this.buffered += this.byteLength(data);
	      this.queue.push(data);
	    }

	    this.push(pending[pending.length - 1]);
	  }

	  read() {
	    const stream = this.stream;

	    if ((stream._duplexState & READ_STATUS) === READ_QUEUED) {
	      const data = this.shift();

	      if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
	        stream._duplexState &= READ_PIPE_NOT_DRAINED;
	      }

	      if ((stream._duplexState & READ_EMIT_DATA) !== 0) {
	        stream.emit('data', data);
	      }

	      return data
	    }

	    if (this.readAhead === false) {
	      stream._duplexState |= READ_READ_AHEAD;
	      this.updateNextTick();
	    }

	    return null
	  }

	  drain() {
	    const stream = this.stream;

	    while (
	      (stream._duplexState & READ_STATUS) === READ_QUEUED &&
	      (stream._duplexState & READ_FLOWING) !== 0
	    ) {
	      const data = this.shift();

	      if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
	        stream._duplexState &= READ_PIPE_NOT_DRAINED;
	      }

	      if ((stream._duplexState & READ_EMIT_DATA) !== 0) {
	        stream.emit('data', data);
	      }
	    }
	  }

	  update() {
	    const stream = this.stream;

	    stream._duplexState |= READ_UPDATING;

	    do {
	      this.drain();

	      while (
	        this.buffered < this.highWaterMark &&
	        (stream._duplexState & SHOULD_NOT_READ) === READ_READ_AHEAD
	      ) {
	        stream._duplexState |= READ_ACTIVE_AND_NEEDS_PUSH;
	        stream._read(this.afterRead);
	        this.drain();
	      }

	      if ((stream._duplexState & READ_READABLE_STATUS) === READ_EMIT_READABLE_AND_QUEUED) {
	        stream._duplexState |= READ_EMITTED_READABLE;
	        stream.emit('readable');
	      }

	      if ((stream._duplexState & READ_PRIMARY_AND_ACTIVE) === 0) {
	        this.updateNonPrimary();
	      }
	    } while (this.continueUpdate() === true)

	    stream._duplexState &= READ_NOT_UPDATING;
	  }

	  updateNonPrimary() {
	    const stream = this.stream;

	    if ((stream._duplexState & READ_ENDING_STATUS) === READ_ENDING) {
	      stream._duplexState = (stream._duplexState | READ_DONE) & READ_NOT_ENDING;
	      stream.emit('end');

	      if ((stream._duplexState & AUTO_DESTROY) === DONE) {
	        stream._duplexState |= DESTROYING;
	      }

	      if (this.pipeTo !== null) {
	        this.pipeTo.end();
	      }
	    }

	    if ((stream._duplexState & DESTROY_STATUS) === DESTROYING) {
	      if ((stream._duplexState & ACTIVE_OR_TICKING) === 0) {
	        stream._duplexState |= ACTIVE;
	        stream._destroy(afterDestroy.bind(this));
	      }
	      return
	    }

	    if ((stream._duplexState & IS_OPENING) === OPENING) {
	      stream._duplexState = (stream._duplexState | ACTIVE) & NOT_OPENING;
	      stream._open(afterOpen.bind(this));
	    }
	  }

	  continueUpdate() {
	    if ((this.stream._duplexState & READ_NEXT_TICK) === 0) return false
	    this.stream._duplexState &= READ_NOT_NEXT_TICK;
	    return true
	  }

	  updateCallback() {
	    if ((this.stream._duplexState & READ_UPDATE_SYNC_STATUS) === READ_PRIMARY) {
	      this.update();
	    } else {
	      this.updateNextTick();
	    }
	  }

	  updateNextTickIfOpen() {
	    if ((this.stream._duplexState & READ_NEXT_TICK_OR_OPENING) !== 0) return
	    this.stream._duplexState |= READ_NEXT_TICK;
	    if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick);
	  }

	  updateNextTick() {
	    if ((this.stream._duplexState & READ_NEXT_TICK) !== 0) return
	    this.stream._duplexState |= READ_NEXT_TICK;
	    if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick);
	  }
	}

	class TransformState {
	  constructor(stream) {
	    this.data = null;
	    this.afterTransform = afterTransform.bind(stream);
	    this.afterFinal = null;
	  }
	}

	class Pipeline {
	  constructor(src, dst, cb) {
	    this.from = src;
	    this.to = dst;
	    this.afterPipe = cb;
	    this.error = null;
	    this.pipeToFinished = false;
	  }

	  finished() {
	    this.pipeToFinished = true;
	  }

	  done(stream, err) {
	    if (err) this.error = err;

	    if (stream === this.to) {
	      this.to = null;

	      if (this.from !== null) {
	        if ((this.from._duplexState & READ_DONE) === 0 || !this.pipeToFinished) {
	          this.from.destroy(this.error || StreamError.PREMATURE_CLOSE('Writable stream closed'));
	        }
	        return
	      }
	    }

	    if (stream === this.from) {
	      this.from = null;

	      if (this.to !== null) {
	        if ((stream._duplexState & READ_DONE) === 0) {
	          this.to.destroy(this.error || StreamError.PREMATURE_CLOSE('Readable stream closed'));
	        }
	        return
	      }
	    }

	    if (this.afterPipe !== null) this.afterPipe(this.error);
	    this.to = this.from = this.afterPipe = null;
	  }
	}

	function afterDrain() {
	  this.stream._duplexState |= READ_PIPE_DRAINED;
	  this.updateCallback();
	}

	function afterFinal(err) {
	  const stream = this.stream;
	  if (err) stream.destroy(err);

	  if ((stream._duplexState & DESTROY_STATUS) === 0) {
	    stream._duplexState |= WRITE_DONE;
	    stream.emit('finish');
	  }

	  if ((stream._duplexState & AUTO_DESTROY) === DONE) {
	    stream._duplexState |= DESTROYING;
	  }

	  stream._duplexState &= WRITE_NOT_FINISHING;

	  // no need to wait the extra tick here, so we short circuit that
	  if ((stream._duplexState & WRITE_UPDATING) === 0) {
	    this.update();
	  } else {
	    this.updateNextTick();
	  }
	}

	function afterDestroy(err) {
	  const stream = this.stream;

	  if (!err && !StreamError.isStreamDestroyed(this.error)) err = this.error;
	  if (err) stream.emit('error', err);

	  stream._duplexState |= DESTROYED;
	  stream.emit('close');

	  const rs = stream._readableState;
	  const ws = stream._writableState;

	  if (rs !== null && rs.pipeline !== null) {
	    rs.pipeline.done(stream, err);
	  }

	  if (ws !== null) {
	    while (ws.drains !== null && ws.drains.length > 0) {
	      ws.drains.shift().resolve(false);
	    }

	    if (ws.pipeline !== null) {
	      ws.pipeline.done(stream, err);
	    }
	  }
	}

	function afterWrite(err) {
	  const stream = this.stream;

	  if (err) stream.destroy(err);
	  stream._duplexState &= WRITE_NOT_ACTIVE;

	  if (this.drains !== null) tickDrains(this.drains);

	  if ((stream._duplexState & WRITE_DRAIN_STATUS) === WRITE_UNDRAINED) {
	    stream._duplexState &= WRITE_DRAINED;

	    if ((stream._duplexState & WRITE_EMIT_DRAIN) === WRITE_EMIT_DRAIN) {
	      stream.emit('drain');
	    }
	  }

	  this.updateCallback();
	}

	function afterRead(err) {
	  if (err) this.stream.destroy(err);
	  this.stream._duplexState &= READ_NOT_ACTIVE;

	  if (this.readAhead === false && (this.stream._duplexState & READ_RESUMED) === 0) {
	    this.stream._duplexState &= READ_NO_READ_AHEAD;
	  }

	  this.updateCallback();
	}

	function updateReadNT() {
	  if ((this.stream._duplexState & READ_UPDATING) === 0) {
	    this.stream._duplexState &= READ_NOT_NEXT_TICK;
	    this.update();
	  }
	}

	function updateWriteNT() {
	  if ((this.stream._duplexState & WRITE_UPDATING) === 0) {
	    this.stream._duplexState &= WRITE_NOT_NEXT_TICK;
	    this.update();
	  }
	}

	function tickDrains(drains) {
	  for (let i = 0; i < drains.length; i++) {
	    // drains.writes are monotonic, so if one is 0 its always the first one
	    if (--drains[i].writes === 0) {
	      drains.shift().resolve(true);
	      i--;
	    }
	  }
	}

	function afterOpen(err) {
	  const stream = this.stream;

	  if (err) stream.destroy(err);

	  if ((stream._duplexState & DESTROYING) === 0) {
	    if ((stream._duplexState & READ_PRIMARY_STATUS) === 0) {
	      stream._duplexState |= READ_PRIMARY;
	    }

	    if ((stream._duplexState & WRITE_PRIMARY_STATUS) === 0) {
	      stream._duplexState |= WRITE_PRIMARY;
	    }

	    stream.emit('open');
	  }

	  stream._duplexState &= NOT_ACTIVE;

	  if (stream._writableState !== null) {
	    stream._writableState.updateCallback();
	  }

	  if (stream._readableState !== null) {
	    stream._readableState.updateCallback();
	  }
	}

	function afterTransform(err, data) {
	  if (data !== undefined && data !== null) this.push(data);
	  this._writableState.afterWrite(err);
	}

	function newListener(name) {
	  if (this._readableState !== null) {
	    if (name === 'data') {
	      this._duplexState |= READ_EMIT_DATA | READ_RESUMED_READ_AHEAD;
	      this._readableState.updateNextTick();
	    }
	    if (name === 'readable') {
	      this._duplexState |= READ_EMIT_READABLE;
	      this._readableState.updateNextTick();
	    }
	  }

	  if (this._writableState !== null) {
	    if (name === 'drain') {
	      this._duplexState |= WRITE_EMIT_DRAIN;
	      this._writableState.updateNextTick();
	    }
	  }
	}

	class Stream extends EventEmitter {
	  constructor(opts) {
	    super();

	    this._duplexState = 0;
	    this._readableState = null;
	    this._writableState = null;

	    if (opts) {
	      if (opts.open) this._open = opts.open;
	      if (opts.destroy) this._destroy = opts.destroy;
	      if (opts.predestroy) this._predestroy = opts.predestroy;
	      if (opts.signal) opts.signal.addEventListener('abort', abort.bind(this));
	    }

	    this.on('newListener', newListener);
	  }

	  _open(cb) {
	    cb(null);
	  }

	  _destroy(cb) {
	    cb(null);
	  }

	  _predestroy() {
	    // does nothing
	  }

	  get readable() {
	    return this._readableState !== null ? true : undefined
	  }

	  get writable() {
	    return this._writableState !== null ? true : undefined
	  }

	  get destroyed() {
	    return (this._duplexState & DESTROYED) !== 0
	  }

	  get destroying() {
	    return (this._duplexState & DESTROY_STATUS) !== 0
	  }

	  destroy(err) {
	    if ((this._duplexState & DESTROY_STATUS) === 0) {
	      if (!err) err = StreamError.STREAM_DESTROYED();
	      this._duplexState = (this._duplexState | DESTROYING) & NON_PRIMARY;

	      if (this._readableState !== null) {
	        this._readableState.highWaterMark = 0;
	        this._readableState.error = err;
	      }

	      if (this._writableState !== null) {
	        this._writableState.highWaterMark = 0;
	        this._writableState.error = err;
	      }

	      this._duplexState |= PREDESTROYING;
	      this._predestroy();
	      this._duplexState &= NOT_PREDESTROYING;

	      if (this._readableState !== null) {
	        this._readableState.updateNextTick();
	      }

	      if (this._writableState !== null) {
	        this._writableState.updateNextTick();
	      }
	    }
	  }
	}

	class Readable extends Stream {
	  constructor(opts) {
	    super(opts);

	    this._duplexState |= OPENING | WRITE_DONE | READ_READ_AHEAD;
	    this._readableState = new ReadableState(this, opts);

	    if (opts) {
	      if (this._readableState.readAhead === false) this._duplexState &= READ_NO_READ_AHEAD;
	      if (opts.read) this._read = opts.read;
	      if (opts.eagerOpen) this._readableState.updateNextTick();
	      if (opts.encoding) this.setEncoding(opts.encoding);
	    }
	  }

	  static deferred(fn, opts) {
	    const out = new PassThrough(opts);

	    fn()
	      .then((src) => {
	        if (src === null) return out.end()
	        if (out.destroying) return
	        pipeline(src, out, noop);
	      })
	      .catch((err) => out.destroy(err));

	    return out
	  }

	  setEncoding(encoding) {
	    const dec = new TextDecoder(encoding);
	    const map = this._readableState.map || echo;
	    this._readableState.map = mapOrSkip;
	    return this

	    function mapOrSkip(data) {
	      const next = dec.push(data);
	      return next === '' && (data.byteLength !== 0 || dec.remaining > 0) ? null : map(next)
	    }
	  }

	  _read(cb) {
	    cb(null);
	  }

	  pipe(dest, cb) {
	    this._readableState.updateNextTick();
	    this._readableState.pipe(dest, cb);
	    return dest
	  }

	  read() {
	    this._readableState.updateNextTick();
	    return this._readableState.read()
	  }

	  push(data) {
	    this._readableState.updateNextTickIfOpen();
	    return this._readableState.push(data)
	  }

	  unshift(data) {
	    this._readableState.updateNextTickIfOpen();
	    return this._readableState.unshift(data)
	  }

	  resume() {
	    this._duplexState |= READ_RESUMED_READ_AHEAD;
	    this._readableState.updateNextTick();
	    return this
	  }

	  pause() {
	    this._duplexState &=
	      this._readableState.readAhead === false ? READ_PAUSED_NO_READ_AHEAD : READ_PAUSED;
	    return this
	  }

	  static _fromAsyncIterator(ite, opts) {
	    let destroy;

	    const rs = new Readable({
	      ...opts,
	      read(cb) {
	        ite.next().then(push).then(cb.bind(null, null)).catch(cb);
	      },
	      predestroy() {
	        destroy = ite.return();
	      },
	      destroy(cb) {
	        if (!destroy) return cb(null)
	        destroy.then(cb.bind(null, null)).catch(cb);
	      }
	    });

	    return rs

	    function push(data) {
	      if (data.done) rs.push(null);
	      else rs.push(data.value);
	    }
	  }

	  static from(data, opts) {
	    if (isReadStreamx(data)) return data
	    if (data[asyncIterator]) return this._fromAsyncIterator(data[asyncIterator](), opts)
	    if (!Array.isArray(data)) data = data === undefined ? [] : [data];

	    let i = 0;
	    return new Readable({
	      ...opts,
	      read(cb) {
	        this.push(i === data.length ? null : data[i++]);
	        cb(null);
	      }
	    })
	  }

	  static isBackpressured(rs) {
	    return (
	      (rs._duplexState & READ_BACKPRESSURE_STATUS) !== 0 ||
	      rs._readableState.buffered >= rs._readableState.highWaterMark
	    )
	  }

	  static isPaused(rs) {
	    return (rs._duplexState & READ_RESUMED) === 0
	  }

	  [asyncIterator]() {
	    const stream = this;

	    let error = null;
	    let promiseResolve = null;
	    let promiseReject = null;

	    this.on('error', (err) => {
	      error = err;
	    });
	    this.on('readable', onreadable);
	    this.on('close', onclose);

	    return {
	      [asyncIterator]() {
	        return this
	      },
	      next() {
	        return new Promise(function (resolve, reject) {
	          promiseResolve = resolve;
	          promiseReject = reject;
	          const data = stream.read();
	          if (data !== null) ondata(data);
	          else if ((stream._duplexState & DESTROYED) !== 0) ondata(null);
	        })
	      },
	      return() {
	        return destroy(null)
	      },
	      throw(err) {
	        return destroy(err)
	      }
	    }

	    function onreadable() {
	      if (promiseResolve !== null) ondata(stream.read());
	    }

	    function onclose() {
	      if (promiseResolve !== null) ondata(null);
	    }

	    function ondata(data) {
	      if (promiseReject === null) return
	      if (error) {
	        promiseReject(error);
	      } else if (data === null && (stream._duplexState & READ_DONE) === 0) {
	        promiseReject(StreamError.STREAM_DESTROYED());
	      } else {
	        promiseResolve({ value: data, done: data === null });
	      }
	      promiseReject = promiseResolve = null;
	    }

	    function destroy(err) {
	      stream.destroy(err);
	      return new Promise((resolve, reject) => {
	        if (stream._duplexState & DESTROYED) return resolve({ value: undefined, done: true })
	        stream.once('close', function () {
	          if (err) reject(err);
	          else resolve({ value: undefined, done: true });
	        });
	      })
	    }
	  }
	}

	class Writable extends Stream {
	  constructor(opts) {
	    super(opts);

	    this._duplexState |= OPENING | READ_DONE;
	    this._writableState = new WritableState(this, opts);

	    if (opts) {
	      if (opts.writev) this._writev = opts.writev;
	      if (opts.write) this._write = opts.write;
	      if (opts.final) this._final = opts.final;
	      if (opts.eagerOpen) this._writableState.updateNextTick();
	    }
	  }

	  cork() {
	    this._duplexState |= WRITE_CORKED;
	  }

	  uncork() {
	    this._duplexState &= WRITE_NOT_CORKED;
	    this._writableState.updateNextTick();
	  }

	  _writev(batch, cb) {
	    cb(null);
	  }

	  _write(data, cb) {
	    this._writableState.autoBatch(data, cb);
	  }

	  _final(cb) {
	    cb(null);
	  }

	  static isBackpressured(ws) {
	    return (ws._duplexState & WRITE_BACKPRESSURE_STATUS) !== 0
	  }

	  static drained(ws) {
	    if (ws.destroyed) return Promise.resolve(false)

	    const state = ws._writableState;
	    const pending = isWritev(ws) ? Math.min(1, state.queue.length) : state.queue.length;
	    const writes = pending + (ws._duplexState & WRITE_WRITING ? 1 : 0);
	    if (writes === 0) return Promise.resolve(true)

	    if (state.drains === null) state.drains = [];
	    return new Promise((resolve) => {
	      state.drains.push({ writes, resolve });
	    })
	  }

	  write(data) {
	    this._writableState.updateNextTick();
	    return this._writableState.push(data)
	  }

	  end(data) {
	    this._writableState.updateNextTick();
	    this._writableState.end(data);
	    return this
	  }
	}

	class Duplex extends Readable {
	  // and Writable
	  constructor(opts) {
	    super(opts);

	    this._duplexState = OPENING | (this._duplexState & READ_READ_AHEAD);
	    this._writableState = new WritableState(this, opts);

	    if (opts) {
	      if (opts.writev) this._writev = opts.writev;
	      if (opts.write) this._write = opts.write;
	      if (opts.final) this._final = opts.final;
	    }
	  }

	  cork() {
	    this._duplexState |= WRITE_CORKED;
	  }

	  uncork() {
	    this._duplexState &= WRITE_NOT_CORKED;
	    this._writableState.updateNextTick();
	  }

	  _writev(batch, cb) {
	    cb(null);
	  }

	  _write(data, cb) {
	    this._writableState.autoBatch(data, cb);
	  }

	  _final(cb) {
	    cb(null);
	  }

	  write(data) {
	    this._writableState.updateNextTick();
	    return this._writableState.push(data)
	  }

	  end(data) {
	    this._writableState.updateNextTick();
	    this._writableState.end(data);
	    return this
	  }
	}

	class Transform extends Duplex {
	  constructor(opts) {
	    super(opts);
	    this._transformState = new TransformState(this);

	    if (opts) {
	      if (opts.transform) this._transform = opts.transform;
	      if (opts.flush) this._flush = opts.flush;
	    }
	  }

	  _write(data, cb) {
	    if (this._readableState.buffered >= this._readableState.highWaterMark) {
	      this._transformState.data = data;
	    } else {
	      this._transform(data, this._transformState.afterTransform);
	    }
	  }

	  _read(cb) {
	    if (this._transformState.data !== null) {
	      const data = this._transformState.data;
	      this._transformState.data = null;
	      cb(null);
	      this._transform(data, this._transformState.afterTransform);
	    } else {
	      cb(null);
	    }
	  }

	  destroy(err) {
	    super.destroy(err);
	    if (this._transformState.data !== null) {
	      this._transformState.data = null;
	      this._transformState.afterTransform();
	    }
	  }

	  _transform(data, cb) {
	    cb(null, data);
	  }

	  _flush(cb) {
	    cb(null);
	  }

	  _final(cb) {
	    this._transformState.afterFinal = cb;
	    this._flush(transformAfterFlush.bind(this));
	  }
	}

	class PassThrough extends Transform {}

	function transformAfterFlush(err, data) {
	  const cb = this._transformState.afterFinal;
	  if (err) return cb(err)

	  if (data !== null && data !== undefined) this.push(data);
	  this.push(null);
	  cb(null);
	}

	function pipelinePromise(...streams) {
	  return new Promise((resolve, reject) => {
	    return pipeline(...streams, (err) => {
	      if (err) return reject(err)
	      resolve();
	    })
	  })
	}

	function pipeline(stream, ...streams) {
	  const all = Array.isArray(stream) ? [...stream, ...streams] : [stream, ...streams];
	  const done = all.length && typeof all[all.length - 1] === 'function' ? all.pop() : null;

	  if (all.length < 2) throw StreamError.BAD_ARGUMENT('Pipeline requires at least 2 streams')

	  let src = all[0];
	  let dest = null;
	  let error = null;

	  for (let i = 1; i < all.length; i++) {
	    dest = all[i];

	    if (isStreamx(src)) {
	      src.pipe(dest, onerror);
	    } else {
	      errorHandle(src, true, i > 1, onerror);
	      src.pipe(dest);
	    }

	    src = dest;
	  }

	  if (done) {
	    let fin = false;

	    const autoDestroy =
	      isStreamx(dest) || !!(dest._writableState && dest._writableState.autoDestroy);

	    dest.on('error', (err) => {
	      if (error === null) error = err;
	    });

	    dest.on('finish', () => {
	      fin = true;
	      if (!autoDestroy) done(error);
	    });

	    if (autoDestroy) {
	      dest.on('close', () => done(error || (fin ? null : StreamError.PREMATURE_CLOSE())));
	    }
	  }

	  return dest

	  function errorHandle(s, rd, wr, onerror) {
	    s.on('error', onerror);
	    s.on('close', onclose);

	    function onclose() {
	      if (s._readableState && !s._readableState.ended) {
	        return onerror(StreamError.PREMATURE_CLOSE())
	      }
	      if (wr && s._writableState && !s._writableState.ended) {
	        return onerror(StreamError.PREMATURE_CLOSE())
	      }
	    }
	  }

	  function onerror(err) {
	    if (!err || error) return
	    error = err;

	    for (const s of all) {
	      s.destroy(err);
	    }
	  }
	}

	function echo(s) {
	  return s
	}

	function isStream(stream) {
	  return !!stream._readableState || !!stream._writableState
	}

	function isStreamx(stream) {
	  return typeof stream._duplexState === 'number' && isStream(stream)
	}

	function isEnding(stream) {
	  return !!stream._readableState && stream._readableState.ending
	}

	function isEnded(stream) {
	  return !!stream._readableState && stream._readableState.ended
	}

	function isFinishing(stream) {
	  return !!stream._writableState && stream._writableState.ending
	}

	function isFinished(stream) {
	  return !!stream._writableState && stream._writableState.ended
	}

	function getStreamError(stream, opts = {}) {
	  const err =
	    (stream._readableState && stream._readableState.error) ||
	    (stream._writableState && stream._writableState.error);

	  // avoid implicit errors by default
	  return !opts.all && StreamError.isStreamDestroyed(err) ? null : err
	}

	function isReadStreamx(stream) {
	  return isStreamx(stream) && stream.readable
	}

	function isDisturbed(stream) {
	  return (
	    (stream._duplexState & OPENING) !== OPENING ||
	    (stream._duplexState & DESTROYING) === DESTROYING ||
	    (stream._duplexState & ACTIVE_OR_TICKING) !== 0
	  )
	}

	function isTypedArray(data) {
	  return typeof data === 'object' && data !== null && typeof data.byteLength === 'number'
	}

	function defaultByteLength(data) {
	  return isTypedArray(data) ? data.byteLength : 1024
	}

	function noop() {}

	function abort() {
	  this.destroy(StreamError.ABORTED());
	}

	function isWritev(s) {
	  return s._writev !== Writable.prototype._writev && s._writev !== Duplex.prototype._writev
	}

	streamx = {
	  pipeline,
	  pipelinePromise,
	  isStream,
	  isStreamx,
	  isEnding,
	  isEnded,
	  isFinishing,
	  isFinished,
	  isDisturbed,
	  getStreamError,
	  Stream,
	  Writable,
	  Readable,
	  Duplex,
	  Transform,
	  // Export PassThrough for compatibility with Node.js core's stream module
	  PassThrough
	};
	return streamx;
}

var headers = {};

var hasRequiredHeaders;

function requireHeaders () {
	if (hasRequiredHeaders) return headers;
	hasRequiredHeaders = 1;
	const b4a = requireB4a();

	const ZEROS = '0000000000000000000';
	const SEVENS = '7777777777777777777';
	const ZERO_OFFSET = '0'.charCodeAt(0);
	const USTAR_MAGIC = b4a.from([0x75, 0x73, 0x74, 0x61, 0x72, 0x00]); // ustar\x00
	const USTAR_VER = b4a.from([ZERO_OFFSET, ZERO_OFFSET]);
	const GNU_MAGIC = b4a.from([0x75, 0x73, 0x74, 0x61, 0x72, 0x20]); // ustar\x20
	const GNU_VER = b4a.from([0x20, 0x00]);
	const MASK = 0o7777;
	const MAGIC_OFFSET = 257;
	const VERSION_OFFSET = 263;

	headers.decodeLongPath = function decodeLongPath (buf, encoding) {
	  return decodeStr(buf, 0, buf.length, encoding)
	};

	headers.encodePax = function encodePax (opts) { // TODO: encode more stuff in pax
	  let result = '';
	  if (opts.name) result += addLength(' path=' + opts.name + '\n');
	  if (opts.linkname) result += addLength(' linkpath=' + opts.linkname + '\n');
	  const pax = opts.pax;
	  if (pax) {
	    for (const key in pax) {
	      result += addLength(' ' + key + '=' + pax[key] + '\n');
	    }
	  }
	  return b4a.from(result)
	};

	headers.decodePax = function decodePax (buf) {
	  const result = {};

	  while (buf.length) {
	    let i = 0;
	    while (i < buf.length && buf[i] !== 32) i++;
	    const len = parseInt(b4a.toString(buf.subarray(0, i)), 10);
	    if (!len) return result

	    const b = b4a.toString(buf.subarray(i + 1, len - 1));
	    const keyIndex = b.indexOf('=');
	    if (keyIndex === -1) return result
	    result[b.slice(0, keyIndex)] = b.slice(keyIndex + 1);

	    buf = buf.subarray(len);
	  }

	  return result
	};

	headers.encode = function encode (opts) {
	  const buf = b4a.alloc(512);
	  let name = opts.name;
	  let prefix = '';

	  if (opts.typeflag === 5 && name[name.length - 1] !== '/') name += '/';
	  if (b4a.byteLength(name) !== name.length) return null // utf-8

	  while (b4a.byteLength(name) > 100) {
	    const i = name.indexOf('/');
	    if (i === -1) return null
	    prefix += prefix ? '/' + name.slice(0, i) : name.slice(0, i);
	    name = name.slice(i + 1);
	  }

	  if (b4a.byteLength(name) > 100 || b4a.byteLength(prefix) > 155) return null
	  if (opts.linkname && b4a.byteLength(opts.linkname) > 100) return null

	  b4a.write(buf, name);
	  b4a.write(buf, encodeOct(opts.mode & MASK, 6), 100);
	  b4a.write(buf, encodeOct(opts.uid, 6), 108);
	  b4a.write(buf, encodeOct(opts.gid, 6), 116);
	  encodeSize(opts.size, buf, 124);
	  b4a.write(buf, encodeOct((opts.mtime.getTime() / 1000) | 0, 11), 136);

	  buf[156] = ZERO_OFFSET + toTypeflag(opts.type);

	  if (opts.linkname) b4a.write(buf, opts.linkname, 157);

	  b4a.copy(USTAR_MAGIC, buf, MAGIC_OFFSET);
	  b4a.copy(USTAR_VER, buf, VERSION_OFFSET);
	  if (opts.uname) b4a.write(buf, opts.uname, 265);
	  if (opts.gname) b4a.write(buf, opts.gname, 297);
	  b4a.write(buf, encodeOct(opts.devmajor || 0, 6), 329);
	  b4a.write(buf, encodeOct(opts.devminor || 0, 6), 337);

	  if (prefix) b4a.write(buf, prefix, 345);

	  b4a.write(buf, encodeOct(cksum(buf), 6), 148);

	  return buf
	};

	headers.decode = function decode (buf, filenameEncoding, allowUnknownFormat) {
	  let typeflag = buf[156] === 0 ? 0 : buf[156] - ZERO_OFFSET;

	  let name = decodeStr(buf, 0, 100, filenameEncoding);
	  const mode = decodeOct(buf, 100, 8);
	  const uid = decodeOct(buf, 108, 8);
	  const gid = decodeOct(buf, 116, 8);
	  const size = decodeOct(buf, 124, 12);
	  const mtime = decodeOct(buf, 136, 12);
	  const type = toType(typeflag);
	  const linkname = buf[157] === 0 ? null : decodeStr(buf, 157, 100, filenameEncoding);
	  const uname = decodeStr(buf, 265, 32);
	  const gname = decodeStr(buf, 297, 32);
	  const devmajor = decodeOct(buf, 329, 8);
	  const devminor = decodeOct(buf, 337, 8);

	  const c = cksum(buf);

	  // checksum is still initial value if header was null.
	  if (c === 8 * 32) return null

	  // valid checksum
	  if (c !== decodeOct(buf, 148, 8)) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?')

	  if (isUSTAR(buf)) {
	    // ustar (posix) format.
	    // prepend prefix, if present.
	    if (buf[345]) name = decodeStr(buf, 345, 155, filenameEncoding) + '/' + name;
	  } else if (isGNU(buf)) ; else {
	    if (!allowUnknownFormat) {
	      throw new Error('Invalid tar header: unknown format.')
	    }
	  }

	  // to support old tar versions that use trailing / to indicate dirs
	  if (typeflag === 0 && name && name[name.length - 1] === '/') typeflag = 5;

	  return {
	    name,
	    mode,
	    uid,
	    gid,
	    size,
	    byteOffset: 0,
	    mtime: new Date(1000 * mtime),
	    type,
	    linkname,
	    uname,
	    gname,
	    devmajor,
	    devminor,
	    pax: null
	  }
	};

	function isUSTAR (buf) {
	  return b4a.equals(USTAR_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6))
	}

	function isGNU (buf) {
	  return b4a.equals(GNU_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6)) &&
	    b4a.equals(GNU_VER, buf.subarray(VERSION_OFFSET, VERSION_OFFSET + 2))
	}

	function clamp (index, len, defaultValue) {
	  if (typeof index !== 'number') return defaultValue
	  index = ~~index; // Coerce to integer.
	  if (index >= len) return len
	  if (index >= 0) return index
	  index += len;
	  if (index >= 0) return index
	  return 0
	}

	function toType (flag) {
	  switch (flag) {
	    case 0:
	      return 'file'
	    case 1:
	      return 'link'
	    case 2:
	      return 'symlink'
	    case 3:
	      return 'character-device'
	    case 4:
	      return 'block-device'
	    case 5:
	      return 'directory'
	    case 6:
	      return 'fifo'
	    case 7:
	      return 'contiguous-file'
	    case 72:
	      return 'pax-header'
	    case 55:
	      return 'pax-global-header'
	    case 27:
	      return 'gnu-long-link-path'
	    case 28:
	    case 30:
	      return 'gnu-long-path'
	  }

	  return null
	}

	function toTypeflag (flag) {
	  switch (flag) {
	    case 'file':
	      return 0
	    case 'link':
	      return 1
	    case 'symlink':
	      return 2
	    case 'character-device':
	      return 3
	    case 'block-device':
	      return 4
	    case 'directory':
	      return 5
	    case 'fifo':
	      return 6
	    case 'contiguous-file':
	      return 7
	    case 'pax-header':
	      return 72
	  }

	  return 0
	}

	function indexOf (block, num, offset, end) {
	  for (; offset < end; offset++) {
	    if (block[offset] === num) return offset
	  }
	  return end
	}

	function cksum (block) {
	  let sum = 8 * 32;
	  for (let i = 0; i < 148; i++) sum += block[i];
	  for (let j = 156; j < 512; j++) sum += block[j];
	  return sum
	}

	function encodeOct (val, n) {
	  val = val.toString(8);
	  if (val.length > n) return SEVENS.slice(0, n) + ' '
	  return ZEROS.slice(0, n - val.length) + val + ' '
	}

	function encodeSizeBin (num, buf, off) {
	  buf[off] = 0x80;
	  for (let i = 11; i > 0; i--) {
	    buf[off + i] = num & 0xff;
	    num = Math.floor(num / 0x100);
	  }
	}

	function encodeSize (num, buf, off) {
	  if (num.toString(8).length > 11) {
	    encodeSizeBin(num, buf, off);
	  } else {
	    b4a.write(buf, encodeOct(num, 11), off);
	  }
	}

	/* Copied from the node-tar repo and modified to meet
	 * tar-stream coding standard.
	 *
	 * Source: https://github.com/npm/node-tar/blob/51b6627a1f357d2eb433e7378e5f05e83b7aa6cd/lib/header.js#L349
	 */
	function parse256 (buf) {
	  // first byte MUST be either 80 or FF
	  // 80 for positive, FF for 2's comp
	  let positive;
	  if (buf[0] === 0x80) positive = true;
	  else if (buf[0] === 0xFF) positive = false;
	  else return null

	  // build up a base-256 tuple from the least sig to the highest
	  const tuple = [];
	  let i;
	  for (i = buf.length - 1; i > 0; i--) {
	    const byte = buf[i];
	    if (positive) tuple.push(byte);
	    else tuple.push(0xFF - byte);
	  }

	  let sum = 0;
	  const l = tuple.length;
	  for (i = 0; i < l; i++) {
	    sum += tuple[i] * Math.pow(256, i);
	  }

	  return positive ? sum : -1 * sum
	}

	function decodeOct (val, offset, length) {
	  val = val.subarray(offset, offset + length);
	  offset = 0;

	  // If prefixed with 0x80 then parse as a base-256 integer
	  if (val[offset] & 0x80) {
	    return parse256(val)
	  } else {
	    // Older versions of tar can prefix with spaces
	    while (offset < val.length && val[offset] === 32) offset++;
	    const end = clamp(indexOf(val, 32, offset, val.length), val.length, val.length);
	    while (offset < end && val[offset] === 0) offset++;
	    if (end === offset) return 0
	    return parseInt(b4a.toString(val.subarray(offset, end)), 8)
	  }
	}

	function decodeStr (val, offset, length, encoding) {
	  return b4a.toString(val.subarray(offset, indexOf(val, 0, offset, offset + length)), encoding)
	}

	function addLength (str) {
	  const len = b4a.byteLength(str);
	  let digits = Math.floor(Math.log(len) / Math.log(10)) + 1;
	  if (len + digits >= Math.pow(10, digits)) digits++;

	  return (len + digits) + str
	}
	return headers;
}

var extract;
var hasRequiredExtract;

function requireExtract () {
	if (hasRequiredExtract) return extract;
	hasRequiredExtract = 1;
	const { Writable, Readable, getStreamError } = requireStreamx();
	const FIFO = requireFastFifo();
	const b4a = requireB4a();
	const headers = requireHeaders();

	const EMPTY = b4a.alloc(0);
	const MAX_HEADER_SIZE = 4 * 1024 * 1024; // arbitrary big number

	class BufferList {
	  constructor () {
	    this.buffered = 0;
	    this.shifted = 0;
	    this.queue = new FIFO();

	    this._offset = 0;
	  }

	  push (buffer) {
	    this.buffered += buffer.byteLength;
	    this.queue.push(buffer);
	  }

	  shiftFirst (size) {
	    return this.buffered === 0 ? null : this._next(size)
	  }

	  shift (size) {
	    if (size > this.buffered) return null
	    if (size === 0) return EMPTY

	    let chunk = this._next(size);

	    if (size === chunk.byteLength) return chunk // likely case

	    const chunks = [chunk];

	    while ((size -= chunk.byteLength) > 0) {
	      chunk = this._next(size);
	      chunks.push(chunk);
	    }

	    return b4a.concat(chunks)
	  }

	  _next (size) {
	    const buf = this.queue.peek();
	    const rem = buf.byteLength - this._offset;

	    if (size >= rem) {
	      const sub = this._offset ? buf.subarray(this._offset, buf.byteLength) : buf;
	      this.queue.shift();
	      this._offset = 0;
	      this.buffered -= rem;
	      this.shifted += rem;
	      return sub
	    }

	    this.buffered -= size;
	    this.shifted += size;

	    return buf.subarray(this._offset, (this._offset += size))
	  }
	}

	class Source extends Readable {
	  constructor (self, header, offset) {
	    super();

	    this.header = header;
	    this.offset = offset;

	    this._parent = self;
	  }

	  _read (cb) {
	    if (this.header.size === 0) {
	      this.push(null);
	    }
	    if (this._parent._stream === this) {
	      this._parent._update();
	    }
	    cb(null);
	  }

	  _predestroy () {
	    this._parent.destroy(getStreamError(this));
	  }

	  _detach () {
	    if (this._parent._stream === this) {
	      this._parent._stream = null;
	      this._parent._missing = overflow(this.header.size);
	      this._parent._update();
	    }
	  }

	  _destroy (cb) {
	    this._detach();
	    cb(null);
	  }
	}

	class Extract extends Writable {
	  constructor (opts) {
	    super(opts);

	    if (!opts) opts = {};

	    this._buffer = new BufferList();
	    this._offset = 0;
	    this._header = null;
	    this._stream = null;
	    this._missing = 0;
	    this._longHeader = false;
	    this._callback = noop;
	    this._locked = false;
	    this._finished = false;
	    this._pax = null;
	    this._paxGlobal = null;
	    this._gnuLongPath = null;
	    this._gnuLongLinkPath = null;
	    this._filenameEncoding = opts.filenameEncoding || 'utf-8';
	    this._allowUnknownFormat = !!opts.allowUnknownFormat;
	    this._unlockBound = this._unlock.bind(this);
	  }

	  _unlock (err) {
	    this._locked = false;

	    if (err) {
	      this.destroy(err);
	      this._continueWrite(err);
	      return
	    }

	    this._update();
	  }

	  _consumeHeader () {
	    if (this._locked) return false

	    this._offset = this._buffer.shifted;

	    try {
	      this._header = headers.decode(this._buffer.shift(512), this._filenameEncoding, this._allowUnknownFormat);
	    } catch (err) {
	      this._continueWrite(err);
	      return false
	    }

	    if (!this._header) return true

	    this._header.byteOffset = this._buffer.shifted;

	    switch (this._header.type) {
	      case 'gnu-long-path':
	      case 'gnu-long-link-path':
	      case 'pax-global-header':
	      case 'pax-header':
	        this._longHeader = true;
	        this._missing = this._header.size;
	        if (this._missing > MAX_HEADER_SIZE) {
	          this._continueWrite(new Error('Header exceeds max size'));
	          return false
	        }
	        return true
	    }

	    this._locked = true;
	    this._applyLongHeaders();

	    if (!(this._header.size >= 0)) {
	      this._continueWrite(new Error('Invalid header'));
	      return false
	    }

	    if (this._header.size === 0 || this._header.type === 'directory') {
	      this.emit('entry', this._header, this._createStream(), this._unlockBound);
	      return true
	    }

	    this._stream = this._createStream();
	    this._missing = this._header.size;

	    this.emit('entry', this._header, this._stream, this._unlockBound);
	    return true
	  }

	  _applyLongHeaders () {
	    if (this._gnuLongPath) {
	      this._header.name = this._gnuLongPath;
	      this._gnuLongPath = null;
	    }

	    if (this._gnuLongLinkPath) {
	      this._header.linkname = this._gnuLongLinkPath;
	      this._gnuLongLinkPath = null;
	    }

	    if (this._pax) {
	      if (this._pax.path) this._header.name = this._pax.path;
	      if (this._pax.linkpath) this._header.linkname = this._pax.linkpath;
	      if (this._pax.size) this._header.size = parseInt(this._pax.size, 10);
	      this._header.pax = this._pax;
	      this._pax = null;
	    }
	  }

	  _decodeLongHeader (buf) {
	    switch (this._header.type) {
	      case 'gnu-long-path':
	        this._gnuLongPath = headers.decodeLongPath(buf, this._filenameEncoding);
	        break
	      case 'gnu-long-link-path':
	        this._gnuLongLinkPath = headers.decodeLongPath(buf, this._filenameEncoding);
	        break
	      case 'pax-global-header':
	        this._paxGlobal = headers.decodePax(buf);
	        break
	      case 'pax-header':
	        this._pax = this._paxGlobal === null
	          ? headers.decodePax(buf)
	          : Object.assign({}, this._paxGlobal, headers.decodePax(buf));
	        break
	    }
	  }

	  _consumeLongHeader () {
	    this._longHeader = false;
	    this._missing = overflow(this._header.size);

	    const buf = this._buffer.shift(this._header.size);

	    try {
	      this._decodeLongHeader(buf);
	    } catch (err) {
	      this._continueWrite(err);
	      return false
	    }

	    return true
	  }

	  _consumeStream () {
	    const buf = this._buffer.shiftFirst(this._missing);
	    if (buf === null) return false

	    this._missing -= buf.byteLength;
	    const drained = this._stream.push(buf);

	    if (this._missing === 0) {
	      this._stream.push(null);
	      if (drained) this._stream._detach();
	      return drained && this._locked === false
	    }

	    return drained
	  }

	  _createStream () {
	    return new Source(this, this._header, this._offset)
	  }

	  _update () {
	    while (this._buffer.buffered > 0 && !this.destroying) {
	      if (this._missing > 0) {
	        if (this._stream !== null) {
	          if (this._consumeStream() === false) return
	          continue
	        }

	        if (this._longHeader === true) {
	          if (this._missing > this._buffer.buffered) break
	          if (this._consumeLongHeader() === false) return false
	          continue
	        }

	        const ignore = this._buffer.shiftFirst(this._missing);
	        if (ignore !== null) this._missing -= ignore.byteLength;
	        continue
	      }

	      if (this._buffer.buffered < 512) break
	      if (this._stream !== null || this._consumeHeader() === false) return
	    }

	    this._continueWrite(null);
	  }

	  _continueWrite (err) {
	    const cb = this._callback;
	    this._callback = noop;
	    cb(err);
	  }

	  _write (data, cb) {
	    this._callback = cb;
	    this._buffer.push(data);
	    this._update();
	  }

	  _final (cb) {
	    this._finished = this._missing === 0 && this._buffer.buffered === 0;
	    cb(this._finished ? null : new Error('Unexpected end of data'));
	  }

	  _predestroy () {
	    this._continueWrite(null);
	  }

	  _destroy (cb) {
	    if (this._stream) this._stream.destroy(getStreamError(this));
	    cb(null);
	  }

	  [Symbol.asyncIterator] () {
	    let error = null;

	    let promiseResolve = null;
	    let promiseReject = null;

	    let entryStream = null;
	    let entryCallback = null;

	    const extract = this;

	    this.on('entry', onentry);
	    this.on('error', (err) => { error = err; });
	    this.on('close', onclose);

	    return {
	      [Symbol.asyncIterator] () {
	        return this
	      },
	      next () {
	        return new Promise(onnext)
	      },
	      return () {
	        return destroy(null)
	      },
	      throw (err) {
	        return destroy(err)
	      }
	    }

	    function consumeCallback (err) {
	      if (!entryCallback) return
	      const cb = entryCallback;
	      entryCallback = null;
	      cb(err);
	    }

	    function onnext (resolve, reject) {
	      if (error) {
	        return reject(error)
	      }

	      if (entryStream) {
	        resolve({ value: entryStream, done: false });
	        entryStream = null;
	        return
	      }

	      promiseResolve = resolve;
	      promiseReject = reject;

	      consumeCallback(null);

	      if (extract._finished && promiseResolve) {
	        promiseResolve({ value: undefined, done: true });
	        promiseResolve = promiseReject = null;
	      }
	    }

	    function onentry (header, stream, callback) {
	      entryCallback = callback;
	      stream.on('error', noop); // no way around this due to tick sillyness

	      if (promiseResolve) {
	        promiseResolve({ value: stream, done: false });
	        promiseResolve = promiseReject = null;
	      } else {
	        entryStream = stream;
	      }
	    }

	    function onclose () {
	      consumeCallback(error);
	      if (!promiseResolve) return
	      if (error) promiseReject(error);
	      else promiseResolve({ value: undefined, done: true });
	      promiseResolve = promiseReject = null;
	    }

	    function destroy (err) {
	      extract.destroy(err);
	      consumeCallback(err);
	      return new Promise((resolve, reject) => {
	        if (extract.destroyed) return resolve({ value: undefined, done: true })
	        extract.once('close', function () {
	          if (err) reject(err);
	          else resolve({ value: undefined, done: true });
	        });
	      })
	    }
	  }
	}

	extract = function extract (opts) {
	  return new Extract(opts)
	};

	function noop () {}

	function overflow (size) {
	  size &= 511;
	  return size && 512 - size
	}
	return extract;
}

var constants = {exports: {}};

var hasRequiredConstants;

function requireConstants () {
	if (hasRequiredConstants) return constants.exports;
	hasRequiredConstants = 1;
	const constants$1 = { // just for envs without fs
	  S_IFMT: 61440,
	  S_IFDIR: 16384,
	  S_IFCHR: 8192,
	  S_IFBLK: 24576,
	  S_IFIFO: 4096,
	  S_IFLNK: 40960
	};

	try {
	  constants.exports = require('fs').constants || constants$1;
	} catch {
	  constants.exports = constants$1;
	}
	return constants.exports;
}

var pack;
var hasRequiredPack;

function requirePack () {
	if (hasRequiredPack) return pack;
	hasRequiredPack = 1;
	const { Readable, Writable, getStreamError } = requireStreamx();
	const b4a = requireB4a();

	const constants = requireConstants();
	const headers = requireHeaders();

	const DMODE = 0o755;
	const FMODE = 0o644;

	const END_OF_TAR = b4a.alloc(1024);

	class Sink extends Writable {
	  constructor (pack, header, callback) {
	    super({ mapWritable, eagerOpen: true });

	    this.written = 0;
	    this.header = header;

	    this._callback = callback;
	    this._linkname = null;
	    this._isLinkname = header.type === 'symlink' && !header.linkname;
	    this._isVoid = header.type !== 'file' && header.type !== 'contiguous-file';
	    this._finished = false;
	    this._pack = pack;
	    this._openCallback = null;

	    if (this._pack._stream === null) this._pack._stream = this;
	    else this._pack._pending.push(this);
	  }

	  _open (cb) {
	    this._openCallback = cb;
	    if (this._pack._stream === this) this._continueOpen();
	  }

	  _continuePack (err) {
	    if (this._callback === null) return

	    const callback = this._callback;
	    this._callback = null;

	    callback(err);
	  }

	  _continueOpen () {
	    if (this._pack._stream === null) this._pack._stream = this;

	    const cb = this._openCallback;
	    this._openCallback = null;
	    if (cb === null) return

	    if (this._pack.destroying) return cb(new Error('pack stream destroyed'))
	    if (this._pack._finalized) return cb(new Error('pack stream is already finalized'))

	    this._pack._stream = this;

	    if (!this._isLinkname) {
	      this._pack._encode(this.header);
	    }

	    if (this._isVoid) {
	      this._finish();
	      this._continuePack(null);
	    }

	    cb(null);
	  }

	  _write (data, cb) {
	    if (this._isLinkname) {
	      this._linkname = this._linkname ? b4a.concat([this._linkname, data]) : data;
	      return cb(null)
	    }

	    if (this._isVoid) {
	      if (data.byteLength > 0) {
	        return cb(new Error('No body allowed for this entry'))
	      }
	      return cb()
	    }

	    this.written += data.byteLength;
	    if (this._pack.push(data)) return cb()
	    this._pack._drain = cb;
	  }

	  _finish () {
	    if (this._finished) return
	    this._finished = true;

	    if (this._isLinkname) {
	      this.header.linkname = this._linkname ? b4a.toString(this._linkname, 'utf-8') : '';
	      this._pack._encode(this.header);
	    }

	    overflow(this._pack, this.header.size);

	    this._pack._done(this);
	  }

	  _final (cb) {
	    if (this.written !== this.header.size) { // corrupting tar
	      return cb(new Error('Size mismatch'))
	    }

	    this._finish();
	    cb(null);
	  }

	  _getError () {
	    return getStreamError(this) || new Error('tar entry destroyed')
	  }

	  _predestroy () {
	    this._pack.destroy(this._getError());
	  }

	  _destroy (cb) {
	    this._pack._done(this);

	    this._continuePack(this._finished ? null : this._getError());

	    cb();
	  }
	}

	class Pack extends Readable {
	  constructor (opts) {
	    super(opts);
	    this._drain = noop;
	    this._finalized = false;
	    this._finalizing = false;
	    this._pending = [];
	    this._stream = null;
	  }

	  entry (header, buffer, callback) {
	    if (this._finalized || this.destroying) throw new Error('already finalized or destroyed')

	    if (typeof buffer === 'function') {
	      callback = buffer;
	      buffer = null;
	    }

	    if (!callback) callback = noop;

	    if (!header.size || header.type === 'symlink') header.size = 0;
	    if (!header.type) header.type = modeToType(header.mode);
	    if (!header.mode) header.mode = header.type === 'directory' ? DMODE : FMODE;
	    if (!header.uid) header.uid = 0;
	    if (!header.gid) header.gid = 0;
	    if (!header.mtime) header.mtime = new Date();

	    if (typeof buffer === 'string') buffer = b4a.from(buffer);

	    const sink = new Sink(this, header, callback);

	    if (b4a.isBuffer(buffer)) {
	      header.size = buffer.byteLength;
	      sink.write(buffer);
	      sink.end();
	      return sink
	    }

	    if (sink._isVoid) {
	      return sink
	    }

	    return sink
	  }

	  finalize () {
	    if (this._stream || this._pending.length > 0) {
	      this._finalizing = true;
	      return
	    }

	    if (this._finalized) return
	    this._finalized = true;

	    this.push(END_OF_TAR);
	    this.push(null);
	  }

	  _done (stream) {
	    if (stream !== this._stream) return

	    this._stream = null;

	    if (this._finalizing) this.finalize();
	    if (this._pending.length) this._pending.shift()._continueOpen();
	  }

	  _encode (header) {
	    if (!header.pax) {
	      const buf = headers.encode(header);
	      if (buf) {
	        this.push(buf);
	        return
	      }
	    }
	    this._encodePax(header);
	  }

	  _encodePax (header) {
	    const paxHeader = headers.encodePax({
	      name: header.name,
	      linkname: header.linkname,
	      pax: header.pax
	    });

	    const newHeader = {
	      name: 'PaxHeader',
	      mode: header.mode,
	      uid: header.uid,
	      gid: header.gid,
	      size: paxHeader.byteLength,
	      mtime: header.mtime,
	      type: 'pax-header',
	      linkname: header.linkname && 'PaxHeader',
	      uname: header.uname,
	      gname: header.gname,
	      devmajor: header.devmajor,
	      devminor: header.devminor
	    };

	    this.push(headers.encode(newHeader));
	    this.push(paxHeader);
	    overflow(this, paxHeader.byteLength);

	    newHeader.size = header.size;
	    newHeader.type = header.type;
	    this.push(headers.encode(newHeader));
	  }

	  _doDrain () {
	    const drain = this._drain;
	    this._drain = noop;
	    drain();
	  }

	  _predestroy () {
	    const err = getStreamError(this);

	    if (this._stream) this._stream.destroy(err);

	    while (this._pending.length) {
	      const stream = this._pending.shift();
	      stream.destroy(err);
	      stream._continueOpen();
	    }

	    this._doDrain();
	  }

	  _read (cb) {
	    this._doDrain();
	    cb();
	  }
	}

	pack = function pack (opts) {
	  return new Pack(opts)
	};

	function modeToType (mode) {
	  switch (mode & constants.S_IFMT) {
	    case constants.S_IFBLK: return 'block-device'
	    case constants.S_IFCHR: return 'character-device'
	    case constants.S_IFDIR: return 'directory'
	    case constants.S_IFIFO: return 'fifo'
	    case constants.S_IFLNK: return 'symlink'
	  }

	  return 'file'
	}

	function noop () {}

	function overflow (self, size) {
	  size &= 511;
	  if (size) self.push(END_OF_TAR.subarray(0, 512 - size));
	}

	function mapWritable (buf) {
	  return b4a.isBuffer(buf) ? buf : b4a.from(buf)
	}
	return pack;
}

var hasRequiredTarStream;

function requireTarStream () {
	if (hasRequiredTarStream) return tarStream;
	hasRequiredTarStream = 1;
	tarStream.extract = requireExtract();
	tarStream.pack = requirePack();
	return tarStream;
}

var tarStreamExports = requireTarStream();
var tar = /*@__PURE__*/getDefaultExportFromCjs(tarStreamExports);

// Estimates the gzip -6 size of a byte stream without compressing all of it.
//
// The stream is cut into fixed units; every k-th unit is deflated at level 6 with the 32 KiB that precede it in
// the stream as a preset dictionary, which is exactly the history a continuous gzip would have had at that
// point, so the sampled unit compresses as it would inside the real stream. The sampled ratio is scaled to the
// whole stream. Small streams are compressed whole (exact up to deflate block boundaries).
/** Deflate's history window: what a continuous compressor can refer back to. */
const WINDOW = 32 * 1024;
/** Sampled unit: small units mean many samples (low variance); their deflate block overhead stays ~1 %. */
const UNIT = 16 * 1024;
/** gzip member header (10) + CRC32 and ISIZE trailer (8). */
const GZIP_FRAMING = 18;
const defaultGzipEstimate = {
    exactBelow: 2 * 1024 * 1024,
    sampleFraction: 1 / 16,
    minSampledBytes: 4 * 1024 * 1024
};
class GzipSizeEstimator {
    every;
    offset = 0;
    sampledIn = 0;
    sampledOut = 0;
    /** Pieces of the unit being collected (only for sampled units). */
    unitParts = [];
    unitLength = 0;
    /** Last WINDOW bytes before the current sampled unit. */
    dictParts = [];
    dictLength = 0;
    /** History of the sampled unit being collected. */
    unitDict;
    /** `expectedBytes` (when known) picks the sampling rate; unknown → sample at the default fraction. */
    constructor(expectedBytes, opts = {}) {
        const o = { ...defaultGzipEstimate, ...opts };
        if (expectedBytes !== undefined && expectedBytes <= o.exactBelow) {
            this.every = 1;
        }
        else {
            const total = expectedBytes ?? o.minSampledBytes / o.sampleFraction;
            const sampled = Math.max(o.minSampledBytes, total * o.sampleFraction);
            this.every = Math.max(1, Math.floor(total / sampled));
        }
    }
    update(chunk) {
        let pos = 0;
        while (pos < chunk.length) {
            const unit = Math.floor(this.offset / UNIT);
            const unitEnd = (unit + 1) * UNIT;
            const take = Math.min(chunk.length - pos, unitEnd - this.offset);
            const piece = chunk.subarray(pos, pos + take);
            if (unit % this.every === 0) {
                if (this.unitLength === 0) {
                    // The bytes gathered so far are this unit's history.
                    this.unitDict = this.dictLength > 0 ? Buffer.concat(this.dictParts).subarray(-WINDOW) : undefined;
                    this.dictParts = [];
                    this.dictLength = 0;
                }
                // Copy: the caller's chunk may be a view into a larger buffer we must not retain.
                this.unitParts.push(Buffer.from(piece));
                this.unitLength += take;
            }
            const nextSampledStart = (Math.floor(unit / this.every) + 1) * this.every * UNIT;
            const from = Math.max(0, nextSampledStart - WINDOW - this.offset);
            if (from < take) {
                this.dictParts.push(Buffer.from(piece.subarray(from)));
                this.dictLength += take - from;
                if (this.dictLength > 4 * WINDOW) {
                    this.dictParts = [Buffer.concat(this.dictParts).subarray(-WINDOW)];
                    this.dictLength = WINDOW;
                }
            }
            pos += take;
            this.offset += take;
            if (unit % this.every === 0 && this.offset === unitEnd)
                this.flushUnit();
        }
    }
    flushUnit() {
        if (this.unitLength === 0)
            return;
        const input = this.unitParts.length === 1 ? this.unitParts[0] : Buffer.concat(this.unitParts, this.unitLength);
        const out = deflateRawSync(input, { level: 6, dictionary: this.unitDict });
        this.sampledIn += this.unitLength;
        this.sampledOut += out.length;
        this.unitParts = [];
        this.unitLength = 0;
        this.unitDict = undefined;
    }
    /** Bytes seen so far. */
    get bytes() {
        return this.offset;
    }
    /** Estimated size of `gzip -6` of everything passed to update(). */
    finish() {
        this.flushUnit();
        if (this.offset === 0)
            return 20; // gzip of empty input
        if (this.sampledIn === 0)
            return Math.round(this.offset) + GZIP_FRAMING;
        return Math.round((this.sampledOut * this.offset) / this.sampledIn) + GZIP_FRAMING;
    }
}

// Streams a `docker save` archive once: the outer tar is parsed with tar-stream, each layer tar is parsed by a
// nested tar-stream extract fed from the outer entry, so neither the archive nor a layer ever touches the disk
// or sits whole in memory. Handles the legacy layout (`<v1id>/layer.tar`, `<config>.json`, `manifest.json`)
// and the OCI layout (`blobs/sha256/…`, `index.json`, optionally gzip-compressed layer blobs).
/** JSON-ish archive members (configs, manifests) are buffered; anything bigger is not what we expect. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const LEGACY_LAYER = /^[^/]+\/layer\.tar$/;
const OCI_BLOB = /^blobs\/[^/]+\/[0-9a-f]+$/;
/**
 * Reads an image archive from `stream`, feeding every layer entry to `subscribers` as it streams.
 * Rejects with a UserError when the stream is not a complete image archive.
 */
async function readImageArchive(stream, subscribers, opts = {}) {
    const state = { layers: new Map(), aliases: new Map(), json: new Map() };
    const outer = tar.extract();
    let failure;
    const failed = new Promise((_, reject) => {
        outer.on('error', (err) => {
            failure ??= err;
            reject(failure);
        });
    });
    failed.catch(() => { });
    outer.on('entry', (header, entryStream, next) => {
        readOuterEntry(header, entryStream, state, subscribers, opts).then(() => next(), (err) => {
            failure ??= err;
            outer.destroy(err instanceof Error ? err : new Error(String(err)));
        });
    });
    const finished = new Promise((resolve) => outer.on('finish', () => resolve()));
    try {
        for await (const chunk of stream) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            if (!outer.write(buf))
                await Promise.race([new Promise((r) => outer.once('drain', () => r())), failed]);
        }
        outer.end(null);
        await Promise.race([finished, failed]);
    }
    catch (err) {
        throw asArchiveError(failure ?? err, opts.source);
    }
    finally {
        if (!outer.destroyed)
            outer.destroy();
    }
    return assemble(state, subscribers, opts.source);
}
// filenameEncoding is a tar-stream option its typings leave out.
const extractOptions = (o) => o;
async function readOuterEntry(header, entryStream, state, subscribers, opts) {
    const name = normalisePath(header.name);
    if (header.type === 'symlink' && LEGACY_LAYER.test(name) && header.linkname) {
        state.aliases.set(name, normalisePath(posix.join(posix.dirname(name), header.linkname)));
        return drain(entryStream);
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file')
        return drain(entryStream);
    if (LEGACY_LAYER.test(name)) {
        const it = entryStream[Symbol.asyncIterator]();
        const head = await peek(it, 512);
        return readLayer(name, head, it, header.size ?? 0, state, subscribers, opts);
    }
    if (OCI_BLOB.test(name)) {
        const it = entryStream[Symbol.asyncIterator]();
        const head = await peek(it, 512);
        const kind = sniff(head.buffered);
        if (kind === 'zstd') {
            throw new UserError(`The image archive stores layer ${name} compressed with zstd, which this version cannot read.`, 'Re-save the image with gzip or uncompressed layers (e.g. rebuild with `--output type=docker,compression=gzip`).');
        }
        if (kind === 'gzip' || kind === 'tar')
            return readLayer(name, head, it, header.size ?? 0, state, subscribers, opts);
        if (kind === 'json' && (header.size ?? 0) <= MAX_JSON_BYTES) {
            state.json.set(name, await collect(head, it));
            return;
        }
        return drainIterator(it);
    }
    if (!name.includes('/') && (name.endsWith('.json') || name === 'repositories') && (header.size ?? 0) <= MAX_JSON_BYTES) {
        const it = entryStream[Symbol.asyncIterator]();
        state.json.set(name, await collect({ buffered: Buffer.alloc(0), done: false }, it));
        return;
    }
    return drain(entryStream);
}
async function peek(it, bytes) {
    const parts = [];
    let length = 0;
    while (length < bytes) {
        const r = await it.next();
        if (r.done)
            return { buffered: Buffer.concat(parts), done: true };
        parts.push(r.value);
        length += r.value.length;
    }
    return { buffered: Buffer.concat(parts), done: false };
}
async function* rest(head, it) {
    if (head.buffered.length > 0)
        yield head.buffered;
    if (head.done)
        return;
    for (;;) {
        const r = await it.next();
        if (r.done)
            return;
        yield r.value;
    }
}
async function collect(head, it) {
    const parts = [];
    for await (const c of rest(head, it))
        parts.push(c);
    return Buffer.concat(parts);
}
async function drain(s) {
    for await (const _ of s) {
        // discard
    }
}
async function drainIterator(it) {
    while (!(await it.next()).done) {
        // discard
    }
}
function sniff(b) {
    if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b)
        return 'gzip';
    if (b.length >= 4 && b.readUInt32LE(0) === 0xfd2fb528)
        return 'zstd';
    if (b.length >= 512 && b.toString('latin1', 257, 262) === 'ustar')
        return 'tar';
    if (b.length >= 1024 && b.subarray(0, 1024).every((x) => x === 0))
        return 'tar'; // empty layer: end blocks only
    const first = b.toString('utf8', 0, Math.min(b.length, 64)).trimStart()[0];
    if (first === '{' || first === '[')
        return 'json';
    return 'unknown';
}
async function readLayer(key, head, it, archivedBytes, state, subscribers, opts) {
    const gzipped = sniff(head.buffered) === 'gzip';
    let source = rest(head, it);
    let feeding;
    if (gzipped) {
        const gunzip = createGunzip();
        feeding = pipeline(Readable.from(source), gunzip);
        feeding.catch(() => { });
        source = gunzip;
    }
    const hash = createHash('sha256');
    const estimator = gzipped ? undefined : new GzipSizeEstimator(archivedBytes, opts.gzipEstimate);
    const counts = { size: 0, entries: 0 };
    const inner = tar.extract(extractOptions({ filenameEncoding: 'latin1' }));
    let innerError;
    const innerFailed = new Promise((_, reject) => inner.on('error', (err) => {
        innerError ??= err;
        reject(innerError);
    }));
    innerFailed.catch(() => { });
    const innerFinished = new Promise((resolve) => inner.on('finish', () => resolve()));
    inner.on('entry', (h, s, next) => onLayerEntry(key, h, s, next, counts, subscribers));
    let tarBytes = 0;
    for await (const chunk of source) {
        tarBytes += chunk.length;
        hash.update(chunk);
        estimator?.update(chunk);
        if (!inner.write(chunk))
            await Promise.race([new Promise((r) => inner.once('drain', () => r())), innerFailed]);
    }
    if (feeding)
        await feeding;
    inner.end(null);
    await Promise.race([innerFinished, innerFailed]);
    state.layers.set(key, {
        layerKey: key,
        digest: `sha256:${hash.digest('hex')}`,
        tarBytes,
        size: counts.size,
        entries: counts.entries,
        compressedSize: estimator ? estimator.finish() : archivedBytes,
        compressedExact: gzipped
    });
}
const KINDS = {
    file: 'file',
    'contiguous-file': 'file',
    directory: 'directory',
    symlink: 'symlink',
    link: 'hardlink'
};
function onLayerEntry(layerKey, h, s, next, counts, subscribers) {
    counts.entries++;
    const kind = KINDS[h.type ?? 'file'] ?? 'other';
    const rawLink = h.linkname ?? undefined;
    const size = kind === 'file' ? (h.size ?? 0) : 0;
    // Docker sizes a layer from its unpacked diff: regular files (hard links once) plus symlink target lengths.
    counts.size += size + (kind === 'symlink' && rawLink ? linkBytes(rawLink, h.pax?.linkpath !== undefined) : 0);
    const path = normalisePath(decodeName(h.name, h.pax?.path !== undefined));
    const base = path.slice(path.lastIndexOf('/') + 1);
    // Root entries and AUFS metadata (`.wh..wh.plnk`, `.wh..wh.aufs`) are not part of the filesystem.
    if (path === '' || (base.startsWith('.wh..wh.') && base !== '.wh..wh..opq'))
        return skip(s, next);
    const entry = { layerKey, path, kind, size, mode: h.mode ?? 0 };
    if (rawLink !== undefined && (kind === 'symlink' || kind === 'hardlink')) {
        const link = decodeName(rawLink, h.pax?.linkpath !== undefined);
        entry.linkname = kind === 'hardlink' ? normalisePath(link) : link;
    }
    if (base.startsWith('.wh.')) {
        const dir = path.slice(0, Math.max(0, path.lastIndexOf('/')));
        entry.whiteout =
            base === '.wh..wh..opq'
                ? { kind: 'opaque', target: dir }
                : { kind: 'delete', target: dir ? `${dir}/${base.slice(4)}` : base.slice(4) };
    }
    let want = 0;
    for (const sub of subscribers) {
        sub.onEntry?.(entry);
        if (kind === 'file' && size > 0 && sub.wantContent)
            want = Math.max(want, sub.wantContent(entry));
    }
    if (want <= 0)
        return skip(s, next);
    const parts = [];
    let have = 0;
    s.on('data', (c) => {
        if (have >= want)
            return;
        const piece = have + c.length > want ? c.subarray(0, want - have) : c;
        parts.push(piece);
        have += piece.length;
    });
    s.on('error', () => { }); // the extract reports the error
    s.on('end', () => {
        const content = Buffer.concat(parts, have);
        try {
            for (const sub of subscribers) {
                if (!sub.onContent || !sub.wantContent)
                    continue;
                const w = sub.wantContent(entry);
                if (w <= 0)
                    continue;
                sub.onContent(entry, w < content.length ? content.subarray(0, w) : content, size > w);
            }
        }
        catch (err) {
            next(err instanceof Error ? err : new Error(String(err)));
            return;
        }
        next();
    });
}
function skip(s, next) {
    s.on('error', () => { });
    s.on('end', () => next());
    s.resume();
}
function linkBytes(link, fromPax) {
    return fromPax ? Buffer.byteLength(link, 'utf8') : link.length; // latin1-decoded: one char per byte
}
/** Tar names are bytes: keep valid UTF-8, escape the bytes of anything else so it stays distinct and printable. */
function decodeName(raw, fromPax) {
    // eslint-disable-next-line no-control-regex
    if (fromPax || /^[\x00-\x7f]*$/.test(raw))
        return raw;
    const bytes = Buffer.from(raw, 'latin1');
    if (isUtf8(bytes))
        return bytes.toString('utf8');
    let out = '';
    for (const b of bytes)
        out += b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    return out;
}
/** `./a//b/../c/` → `a/c`: no leading `./` or `/`, no trailing `/`, never above the root. */
function normalisePath(p) {
    const out = [];
    for (const part of p.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..')
            out.pop();
        else
            out.push(part);
    }
    return out.join('/');
}
function parseJson(state, name, source) {
    const buf = state.json.get(name);
    if (!buf)
        throw corrupt(`it has no ${name}`, source);
    try {
        return JSON.parse(buf.toString('utf8'));
    }
    catch {
        throw corrupt(`${name} is not valid JSON`, source);
    }
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resolveManifest(state, source) {
    if (state.json.has('manifest.json')) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const list = parseJson(state, 'manifest.json', source);
        const m = Array.isArray(list) ? list[0] : undefined;
        if (!m || typeof m.Config !== 'string' || !Array.isArray(m.Layers))
            throw corrupt('manifest.json has no image entry', source);
        return { configName: normalisePath(m.Config), layerNames: m.Layers.map((l) => normalisePath(l)), manifest: m };
    }
    if (state.json.has('index.json')) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        let node = parseJson(state, 'index.json', source);
        for (let depth = 0; depth < 4 && Array.isArray(node?.manifests); depth++) {
            const d = node.manifests[0]?.digest;
            if (typeof d !== 'string')
                break;
            node = parseJson(state, blobName(d), source);
        }
        if (!node?.config?.digest || !Array.isArray(node.layers))
            throw corrupt('index.json does not lead to an image manifest', source);
        return {
            configName: blobName(node.config.digest),
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            layerNames: node.layers.map((l) => blobName(l.digest)),
            manifest: node
        };
    }
    throw corrupt('it has neither manifest.json nor index.json (is it a `docker save` archive?)', source);
}
const blobName = (digest) => `blobs/${digest.replace(':', '/')}`;
function assemble(state, subscribers, source) {
    const { configName, layerNames, manifest } = resolveManifest(state, source);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const config = parseJson(state, configName, source);
    const diffIds = config?.rootfs?.diff_ids;
    if (!Array.isArray(diffIds))
        throw corrupt('the image config has no rootfs.diff_ids', source);
    if (diffIds.length !== layerNames.length) {
        throw corrupt(`the manifest lists ${layerNames.length} layers but the config ${diffIds.length}`, source);
    }
    const configDigest = `sha256:${createHash('sha256').update(state.json.get(configName)).digest('hex')}`;
    const layerOrder = [];
    const layerStats = layerNames.map((name, index) => {
        const key = state.aliases.get(name) ?? name;
        const seen = state.layers.get(key);
        if (!seen)
            throw corrupt(`layer ${index} (${name}) is missing`, source);
        if (seen.digest !== diffIds[index]) {
            throw corrupt(`layer ${index} (${name}) has digest ${seen.digest}, but the config expects ${diffIds[index]}`, source);
        }
        layerOrder.push(key);
        const { digest: _digest, ...rest } = seen;
        return { ...rest, index, diffId: seen.digest };
    });
    const layout = { layerOrder, diffIds: [...diffIds] };
    for (const sub of subscribers)
        sub.finish?.(layout);
    return { layout, config, manifest, configDigest, layerStats };
}
function corrupt(what, source) {
    return new UserError(`The image archive${source ? ` of ${source}` : ''} is not usable: ${what}.`, 'It may be truncated or not a `docker save` archive; re-run the audit, and if it persists check the Docker engine (`docker save IMAGE | tar t` should list it).');
}
function asArchiveError(err, source) {
    if (isUserError(err))
        return err;
    const msg = err instanceof Error ? err.message : String(err);
    return corrupt(`reading it failed (${msg})`, source);
}
/**
 * `docker save REF` as a stream. The stream ends only after docker exited 0; a failure (unknown image, no
 * engine) destroys it with a UserError carrying docker's message, so readers never mistake it for a short
 * archive.
 */
function streamDockerSave(ref, dockerCommand = 'docker') {
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    const child = spawn(dockerCommand, ['save', ref], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c) => {
        if (stderr.length < 8192)
            stderr += c;
    });
    child.stdout.pipe(out, { end: false });
    child.on('error', (err) => {
        out.destroy(err.code === 'ENOENT'
            ? new UserError(`The \`${dockerCommand}\` CLI was not found on PATH.`, 'Install Docker (with buildx) or add it to PATH, then re-run.')
            : new UserError(`Could not run \`${dockerCommand} save ${ref}\`: ${err.message}.`));
    });
    child.on('close', (code, signal) => {
        if (code === 0) {
            out.end();
            return;
        }
        const detail = stderr.trim();
        if (/no such image|reference does not exist|not found/i.test(detail)) {
            out.destroy(new UserError(`Image ${ref} not found locally; build it or check the name.`, detail ? `docker said: ${detail}` : undefined));
        }
        else if (!out.destroyed) {
            out.destroy(new UserError(`\`${dockerCommand} save ${ref}\` failed (${signal ? `signal ${signal}` : `exit ${code}`})${detail ? `: ${detail}` : ''}.`, 'Check that the Docker engine is running (`docker info`).'));
        }
    });
    // A reader that gives up (corrupt data, error in a subscriber) must not leave docker writing into a pipe.
    out.on('close', () => {
        if (child.exitCode === null && child.signalCode === null)
            child.kill();
    });
    return out;
}

/** `RUN apt-get install -y gcc` from a history `created_by` (BuildKit or classic builder), shortened. */
function stepText(createdBy, max = 80) {
    let s = createdBy.trim();
    s = s.replace(/\s*# buildkit$/, '');
    s = s.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
    s = s.replace(/^\/bin\/sh -c /, 'RUN ');
    s = s.replace(/^RUN \|\d+(?: [^ =]+=\S*)* /, 'RUN '); // build-arg prefix `|2 A=1 B=2`
    s = s.replace(/^RUN \/bin\/sh -c /, 'RUN ');
    s = s.replace(/\s+/g, ' ');
    if (!s)
        return 'an unrecorded step';
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
/** `layer 3 (`RUN apt-get update …`)`, or `base layer 0 (…)`. */
function layerLabel(layers, index) {
    const layer = layers[index];
    if (!layer)
        return `layer ${index}`;
    return `${layer.fromBase ? 'base layer' : 'layer'} ${index} (\`${stepText(layer.createdBy)}\`)`;
}

// Package-manager caches and indexes visible in the final filesystem: they ship with every pull and no running
// container needs them.
/** Below this a location is noise (empty lock files, a stray marker). */
const MIN_BYTES = 1024;
const packageCacheInImage = {
    id: 'package-cache-in-image',
    defaultSeverity: 'warning',
    description: 'Package-manager caches or indexes (apt lists, .deb archives, apk, pip, npm, yarn, Go, Maven…) ship in the final image.',
    help: 'Clean the cache in the same RUN that fills it (e.g. `apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*`, `pip install --no-cache-dir`, `apk add --no-cache`), or keep it out of the image with `RUN --mount=type=cache`.',
    check({ model, layers }) {
        const found = new Map();
        model.forEachVisible((f) => {
            if (f.kind !== 'file' || f.bytes === 0)
                return;
            const r = residueLocationOf(f.path);
            if (!r)
                return;
            let entry = found.get(r.key);
            if (!entry)
                found.set(r.key, (entry = { location: r.location, bytes: 0, byLayer: new Map() }));
            entry.bytes += f.bytes;
            entry.byLayer.set(f.layer, (entry.byLayer.get(f.layer) ?? 0) + f.bytes);
        });
        const findings = [];
        for (const [key, { location, bytes, byLayer }] of found) {
            if (bytes < MIN_BYTES)
                continue;
            const [topLayer] = [...byLayer.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
            const others = byLayer.size > 1 ? ` (and ${byLayer.size - 1} more layer${byLayer.size > 2 ? 's' : ''})` : '';
            findings.push({
                key,
                message: `/${key} (${location.label}) ships ${formatBytes(bytes)} in the final image, added by ${layerLabel(layers, topLayer)}${others}; ${location.fix}.`,
                layer: topLayer,
                path: key,
                bytes,
                details: { location: location.id, bytesByLayer: Object.fromEntries(byLayer) }
            });
        }
        return findings.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
    }
};

// Compilers and SDKs in the final filesystem: build tools belong in a build stage, not in what ships.
const TRIPLET = '[a-z0-9_]+-linux-gnu[a-z]*';
const TOOLCHAINS = [
    {
        id: 'gcc',
        label: 'GCC C compiler (gcc/cc)',
        marker: /^usr\/(?:local\/)?(?:lib|libexec)\/gcc\/[^/]+\/[^/]+\/cc1$/,
        owns: [
            /^usr\/(?:local\/)?(?:lib|libexec)\/gcc\/(?!.*\/cc1plus$)/,
            new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?(?:gcc|cc|c89|c99|cpp|gcov|lto-dump)(?:-[\\w.-]+)?$`)
        ]
    },
    {
        id: 'g++',
        label: 'GCC C++ compiler (g++)',
        marker: /^usr\/(?:local\/)?(?:lib|libexec)\/gcc\/[^/]+\/[^/]+\/cc1plus$/,
        owns: [/\/cc1plus$/, /^usr\/include\/c\+\+\//, new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?(?:g\\+\\+|c\\+\\+)(?:-[\\w.]+)?$`)]
    },
    {
        id: 'binutils',
        label: 'binutils (ld, as)',
        marker: new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?ld(?:\\.bfd|\\.gold)?$`),
        owns: [
            new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?(?:ld|ld\\.bfd|ld\\.gold|as|ar|ranlib|objdump|objcopy|readelf|strip|nm|size|strings|addr2line|c\\+\\+filt|gprof|elfedit|dwp|gprofng)$`),
            /^usr\/lib\/[^/]+\/lib(?:bfd|opcodes|ctf|ctf-nobfd|sframe|gprofng)[-.]/
        ]
    },
    {
        id: 'go',
        label: 'Go toolchain',
        marker: /^(usr\/local\/go|usr\/lib\/go(?:-[^/]+)?|(?:root|home\/[^/]+)\/(?:sdk\/go[^/]*|go\/go[^/]*)|opt\/go)\/bin\/go$/,
        owns: []
    },
    {
        id: 'rust',
        label: 'Rust toolchain (rustc/cargo)',
        marker: /^(usr\/local\/rustup|(?:root|home\/[^/]+)\/\.rustup)\/toolchains\/[^/]+\/bin\/rustc$|^usr\/bin\/rustc$/,
        owns: [/^usr\/lib\/rustlib\//, /^usr\/bin\/(?:rustc|cargo|rustdoc|rust-gdb|rust-lldb)$/, /^usr\/lib\/[^/]+\/librustc_driver/, /^usr\/local\/cargo\/bin\//]
    },
    {
        id: 'jdk',
        label: 'Java development kit (javac)',
        marker: /^((?:usr\/lib\/jvm|opt\/java|usr\/local|opt)\/[^/]+)\/bin\/javac$/,
        owns: []
    },
    {
        id: 'make',
        label: 'make',
        marker: /^usr\/(?:local\/)?bin\/g?make$/,
        owns: [/^usr\/(?:local\/)?bin\/g?make$/]
    },
    {
        id: 'c-headers',
        label: 'C library development headers (libc6-dev / build-essential)',
        marker: /^usr\/include\/stdio\.h$/,
        owns: [/^usr\/include\/(?!c\+\+\/)/]
    }
];
const toolchainInImage = {
    id: 'toolchain-in-image',
    defaultSeverity: 'warning',
    description: 'Compilers, SDKs or development headers ship in the final image.',
    help: 'Build in a separate stage (`FROM … AS build`) and `COPY --from=build` only the artifacts into a runtime image without the toolchain; or remove build-only packages in the same RUN that used them.',
    check({ model, layers }) {
        const present = new Map();
        model.forEachVisible((f) => {
            if (f.kind === 'other')
                return;
            for (const tc of TOOLCHAINS) {
                if (present.has(tc))
                    continue;
                const m = tc.marker.exec(f.path);
                if (m)
                    present.set(tc, { marker: f.path, root: m[1] });
            }
        });
        if (present.size === 0)
            return [];
        const totals = new Map();
        model.forEachVisible((f) => {
            for (const [tc, { root }] of present) {
                const mine = (root !== undefined && f.path.startsWith(`${root}/`)) || tc.owns.some((re) => re.test(f.path));
                if (!mine)
                    continue;
                let t = totals.get(tc);
                if (!t)
                    totals.set(tc, (t = { bytes: 0, byLayer: new Map() }));
                t.bytes += f.bytes;
                t.byLayer.set(f.layer, (t.byLayer.get(f.layer) ?? 0) + f.bytes);
            }
        });
        const findings = [];
        for (const [tc, { marker, root }] of present) {
            const t = totals.get(tc) ?? { bytes: 0, byLayer: new Map() };
            const top = [...t.byLayer.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
            findings.push({
                key: tc.id,
                message: `${tc.label} ships in the final image (${formatBytes(t.bytes)}${root ? ` under /${root}` : ''}, found /${marker})${top !== undefined ? `, added by ${layerLabel(layers, top)}` : ''}; build in a separate stage and copy only the artifacts.`,
                layer: top,
                path: root ?? marker,
                bytes: t.bytes,
                details: { toolchain: tc.id, marker, bytesByLayer: Object.fromEntries(t.byLayer) }
            });
        }
        return findings.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
    }
};

// Bytes that ship but are invisible: deleted or overwritten in a later layer (`RUN rm` does not remove data).
const wastedSpace = {
    id: 'wasted-space',
    defaultSeverity: 'warning',
    description: 'Files added in one layer and deleted, overwritten or hidden by an opaque directory in a later one still ship in the image.',
    help: 'Delete temporary files in the same RUN that creates them, avoid `COPY` of files a later step replaces, and chown/chmod in the COPY (`COPY --chown`) instead of a later RUN that rewrites every file.',
    check({ image, layers, wastedFiles, config }) {
        // The base image's own waste cannot be fixed in this Dockerfile: judge the user's layers.
        const wasted = image.userWastedBytes;
        const limit = Math.max(config.waste.minBytes, (config.waste.minPercent / 100) * image.size);
        if (wasted <= limit || wasted === 0)
            return [];
        const mine = wastedFiles.filter((w) => w.hiddenInLayer >= image.baseLayers);
        const top = mine.slice(0, 3).map((w) => {
            const verb = w.how === 'overwritten' ? 'overwritten' : w.how === 'deleted' ? 'deleted' : 'hidden (opaque directory)';
            return `/${w.path} (${formatBinaryBytes(w.bytes)}, added by ${layerLabel(layers, w.addedInLayer)}, ${verb} by ${layerLabel(layers, w.hiddenInLayer)})`;
        });
        const pct = image.size > 0 ? ((wasted / image.size) * 100).toFixed(1) : '0';
        return [
            {
                key: 'image',
                message: `${formatBytes(wasted)} (${pct} % of the image) ships but is not visible in the final filesystem${top.length ? `; largest: ${top.join('; ')}` : ''}.`,
                layer: mine[0]?.hiddenInLayer,
                path: mine[0]?.path,
                bytes: wasted,
                details: { limitBytes: Math.round(limit), baseWastedBytes: image.baseWastedBytes, top: mine.slice(0, 10) }
            }
        ];
    }
};

// The image rules and their runner: applies `config.rules[id]` (`off` or a severity) and stamps each finding
// with rule id, category and fingerprint (sha256 of `rule:key`).
const IMAGE_RULES = [packageCacheInImage, toolchainInImage, wastedSpace];
const fingerprintOf = (rule, key) => createHash('sha256').update(`${rule}:${key}`).digest('hex');
function runImageRules(ctx, rules = IMAGE_RULES) {
    const findings = [];
    for (const rule of rules) {
        const setting = ctx.config.rules[rule.id];
        if (setting === 'off')
            continue;
        for (const { key, ...raw } of rule.check(ctx)) {
            findings.push({ rule: rule.id, severity: setting ?? rule.defaultSeverity, category: 'image', ...raw, fingerprint: fingerprintOf(rule.id, key) });
        }
    }
    return findings;
}

async function analyseImage(opts) {
    const { ref, runtime, config } = opts;
    const inspected = await inspectImage(ref, runtime);
    const model = new FilesystemModel();
    const started = Date.now();
    const historySizes = dockerLayerSizes(inspected.Id, runtime);
    historySizes.catch(() => { });
    const archive = await readImageArchive((opts.openArchive ?? streamDockerSave)(inspected.Id), [model, ...(opts.subscribers ?? [])], { source: ref });
    applyDockerSizes(archive, await historySizes.catch(() => undefined), inspected.Size);
    runtime.log.debug(`read ${ref}: ${archive.layerStats.length} layers in ${Date.now() - started} ms`);
    if (archive.configDigest !== inspected.Id) {
        throw new UserError(`Image ${ref} changed while it was being read (expected ${inspected.Id}, read ${archive.configDigest}).`, 'Re-run the audit once the build has finished.');
    }
    return buildAnalysis(ref, inspected, archive, model, config, opts.baseLayerCount ?? 0);
}
async function inspectImage(ref, runtime) {
    const res = await runtime.exec.run('docker', ['image', 'inspect', '--', ref], { silent: true });
    if (res.exitCode !== 0) {
        if (/no such (image|object)/i.test(res.stderr)) {
            throw new UserError(`Image ${ref} not found locally; build it or check the name.`, `docker said: ${res.stderr.trim()}`);
        }
        throw new UserError(`\`docker image inspect ${ref}\` failed: ${res.stderr.trim() || `exit ${res.exitCode}`}.`, 'Check that the Docker engine is running (`docker info`).');
    }
    const parsed = JSON.parse(res.stdout);
    if (!parsed[0]?.Id)
        throw new UserError(`Image ${ref} not found locally; build it or check the name.`);
    return parsed[0];
}
/** `docker history` rows, oldest first, with exact byte sizes (Docker's own per-layer accounting). */
async function dockerLayerSizes(id, runtime) {
    const res = await runtime.exec.run('docker', ['history', '--no-trunc', '-H=false', '--format', '{{json .}}', id], { silent: true });
    if (res.exitCode !== 0)
        return undefined;
    const rows = res.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    return rows.reverse().map((r) => Number(r.Size));
}
/**
 * Docker does not count every layer alike (imported layers include symlink target lengths, BuildKit-made ones
 * only regular file bytes), so where the engine's own numbers map cleanly onto the layers they win over the
 * stream count; the check is that they add up to `docker image inspect .Size`.
 */
function applyDockerSizes(archive, historySizes, inspectSize) {
    const history = Array.isArray(archive.config?.history) ? archive.config.history : [];
    if (!historySizes || historySizes.length !== history.length)
        return;
    const sizes = history.flatMap((h, i) => (h?.empty_layer ? [] : [historySizes[i]]));
    if (sizes.length !== archive.layerStats.length || sizes.some((n) => !Number.isFinite(n)))
        return;
    if (typeof inspectSize === 'number' && sizes.reduce((a, b) => a + b, 0) !== inspectSize)
        return;
    sizes.forEach((size, i) => {
        archive.layerStats[i].size = size;
    });
}
/** Pure assembly of the report parts from what the stream pass gathered (exported for tests on synthetic archives). */
function buildAnalysis(ref, inspected, archive, model, config, baseLayerCount) {
    const { layerStats } = archive;
    const layerCount = layerStats.length;
    const baseLayers = Math.min(Math.max(0, baseLayerCount), layerCount);
    const history = mapHistory(archive.config?.history, layerCount);
    const waste = model.layerWaste;
    const layers = layerStats.map((s, i) => ({
        index: i,
        diffId: s.diffId,
        size: s.size,
        compressedSize: s.compressedSize,
        createdBy: history.find((h) => h.layer === i)?.createdBy ?? '',
        fromBase: i < baseLayers,
        entries: s.entries,
        wastedBytes: waste.wastedBytes[i] ?? 0,
        residue: waste.residue[i] ?? {}
    }));
    const totals = model.totals();
    const split = model.wasteSplit(baseLayers);
    const size = layerStats.reduce((n, s) => n + s.size, 0);
    let executables = 0;
    model.forEachVisible((f) => {
        if ((f.kind === 'file' || f.kind === 'hardlink') && (f.mode & 0o111) !== 0)
            executables++;
    });
    const cfg = archive.config?.config ?? {};
    const image = {
        id: archive.configDigest,
        ref,
        tags: Array.isArray(inspected?.RepoTags) ? inspected.RepoTags : (archive.manifest?.RepoTags ?? []),
        os: archive.config?.os ?? inspected?.Os,
        architecture: archive.config?.architecture ?? inspected?.Architecture,
        size,
        compressedSize: layerStats.reduce((n, s) => n + s.compressedSize, 0),
        layers: layerCount,
        wastedBytes: totals.wastedBytes,
        userWastedBytes: split.user,
        baseWastedBytes: split.base,
        efficiency: totals.totalBytes > 0 ? totals.visibleBytes / totals.totalBytes : 1,
        packages: model.packages(),
        executables,
        baseLayers,
        history,
        config: {
            user: cfg.User || undefined,
            env: Array.isArray(cfg.Env) ? [...cfg.Env] : undefined,
            entrypoint: Array.isArray(cfg.Entrypoint) ? [...cfg.Entrypoint] : undefined,
            cmd: Array.isArray(cfg.Cmd) ? [...cfg.Cmd] : undefined,
            workdir: cfg.WorkingDir || undefined,
            labels: cfg.Labels ? { ...cfg.Labels } : undefined
        }
    };
    const wastedFiles = model.wastedFiles(20);
    const findings = runImageRules({ image, layers, model, wastedFiles, config });
    return { image, layers, findings, wastedFiles, largestDirectories: model.largestDirectories(10), files: model.visibility() };
}
/** Config history → HistoryEntry[]; entries that made a layer are matched to layers in order. */
function mapHistory(raw, layerCount) {
    const entries = Array.isArray(raw) ? raw : [];
    const nonEmpty = entries.filter((h) => !h?.empty_layer).length;
    // Imported or squashed images can record fewer layer-making steps than layers: those align at the top.
    let layer = Math.max(0, layerCount - nonEmpty);
    const out = entries.map((h) => {
        const e = { createdBy: String(h?.created_by ?? ''), emptyLayer: Boolean(h?.empty_layer) };
        if (h?.created)
            e.created = String(h.created);
        if (h?.comment)
            e.comment = String(h.comment);
        if (!e.emptyLayer && layer < layerCount)
            e.layer = layer++;
        return e;
    });
    return out;
}

// Reading `docker history` lines. BuildKit (and the legacy builder) record the build args a RUN step saw as
// `RUN |N NAME=value … /bin/sh -c <command>`, unquoted, so a value with spaces is ambiguous; the names of
// declared args (`ARG NAME` steps, also in the history) disambiguate where they can.
const LEGACY_NOP = /^\/bin\/sh -c #\(nop\)\s+/;
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** Splits `A=1 B=two words C=3` into pairs; a value runs until the next ` NAME=` (known names preferred). */
function splitPairs(text, knownNames, count) {
    const pairs = [];
    let pos = 0;
    const head = new RegExp(`^(${IDENT})=`);
    while (pos < text.length && (count === undefined || pairs.length < count)) {
        const m = head.exec(text.slice(pos));
        if (!m)
            break;
        const name = m[1];
        const valueStart = pos + m[0].length;
        const isLast = count !== undefined && pairs.length === count - 1;
        let end;
        if (isLast) {
            end = endOfLastArg(text, valueStart);
        }
        else {
            end = nextPairStart(text, valueStart, knownNames, count === undefined);
        }
        let value = text.slice(valueStart, end);
        if (count === undefined)
            value = unquote(value.trimEnd());
        pairs.push({ name, value });
        pos = end < text.length ? end + 1 : end;
    }
    return { pairs, rest: text.slice(pos) };
}
function nextPairStart(text, from, known, quoted) {
    // ENV/LABEL values may be quoted: a quoted value ends at its closing quote.
    if (quoted && (text[from] === '"' || text[from] === "'")) {
        const close = text.indexOf(text[from], from + 1);
        if (close > 0)
            return close + 1 < text.length && text[close + 1] === ' ' ? close + 1 : text.length;
    }
    const re = new RegExp(` (${IDENT})=`, 'g');
    re.lastIndex = from;
    let fallback = -1;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        if (!known || known.size === 0 || known.has(m[1]))
            return m.index;
        if (fallback < 0)
            fallback = m.index;
    }
    return fallback >= 0 ? fallback : text.length;
}
/** The last `|N` build arg ends where the shell starts (` /bin/sh -c `, any absolute program), else at a space. */
function endOfLastArg(text, from) {
    const shell = text.indexOf(' /', from);
    const space = text.indexOf(' ', from);
    if (shell >= 0)
        return shell;
    return space >= 0 ? space : text.length;
}
function unquote(v) {
    return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]) ? v.slice(1, -1) : v;
}
/** Parses one `created_by`. `knownArgs`: names declared by earlier `ARG` steps. */
function parseCreatedBy$1(createdBy, knownArgs) {
    let s = createdBy.trim().replace(/\s+# buildkit$/, '');
    let instruction = '';
    if (LEGACY_NOP.test(s)) {
        s = s.replace(LEGACY_NOP, '');
    }
    else if (/^\|\d+ /.test(s) || s.startsWith('/bin/sh -c ')) {
        instruction = 'RUN'; // legacy builder RUN
    }
    if (!instruction) {
        const m = /^([A-Z]+)(?:\s+|$)/.exec(s);
        if (m) {
            instruction = m[1];
            s = s.slice(m[0].length);
        }
    }
    if (instruction === 'RUN') {
        const n = /^\|(\d+) /.exec(s);
        if (n) {
            const { pairs, rest } = splitPairs(s.slice(n[0].length), knownArgs, Number(n[1]));
            return { instruction, pairs, text: rest };
        }
        return { instruction, pairs: [], text: s };
    }
    if (instruction === 'ENV' || instruction === 'ARG' || instruction === 'LABEL') {
        const { pairs, rest } = splitPairs(s);
        // `ARG NAME` without default: a declaration, no value.
        if (instruction === 'ARG' && pairs.length === 0 && new RegExp(`^${IDENT}$`).test(s))
            return { instruction, pairs: [], text: s };
        return { instruction, pairs, text: rest };
    }
    return { instruction, pairs: [], text: s };
}
/** Names declared by `ARG` steps (BuildKit records `ARG NAME` and `ARG NAME=default`). */
function declaredArgName(createdBy) {
    return new RegExp(`^ARG (${IDENT})(?:=|$)`).exec(createdBy.trim())?.[1];
}
/** `RUN |1 A=… /bin/sh -c npm ci # buildkit` → `RUN npm ci`, for messages. Long commands are cut. */
function shortStep(createdBy, max = 80) {
    if (!createdBy)
        return 'an unnamed step';
    const p = parseCreatedBy$1(createdBy);
    let text = p.instruction === 'RUN' ? `RUN ${p.text.replace(/^\/bin\/sh -c /, '')}` : createdBy.replace(LEGACY_NOP, '').replace(/\s+# buildkit$/, '');
    text = text.replace(/\s+/g, ' ').trim();
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// Image-path globs for suppressions and allowPaths: `*` within one path segment, `**` across segments, `?` one
// character. Paths are compared without a leading slash, so `/root/.npmrc` and `root/.npmrc` both work.
const cache = new Map();
function globToRegExp(glob) {
    let re = cache.get(glob);
    if (re)
        return re;
    const g = glob.trim().replace(/^\/+/, '');
    let src = '';
    for (let i = 0; i < g.length; i++) {
        const c = g[i];
        if (c === '*' && g[i + 1] === '*') {
            // `**/` matches zero or more whole segments; a trailing `**` everything below.
            if (g[i + 2] === '/') {
                src += '(?:.*/)?';
                i += 2;
            }
            else {
                src += '.*';
                i += 1;
            }
        }
        else if (c === '*')
            src += '[^/]*';
        else if (c === '?')
            src += '[^/]';
        else
            src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    // A directory glob covers what is inside it.
    re = new RegExp(`^${src}(?:/.*)?$`);
    cache.set(glob, re);
    return re;
}
const matchesGlob = (path, glob) => globToRegExp(glob).test(path.replace(/^\/+/, ''));
const matchesAny = (path, globs) => globs.some((g) => matchesGlob(path, g));

// Which files are read at all. Content scanning is what costs time, so only text in likely places is read:
//
//  1. Credential files recognised by name or location are always read (up to the cap), wherever they are:
//     .npmrc, .env*, id_rsa/id_dsa/id_ecdsa/id_ed25519, *.pem/*.key/*.p8, .aws/credentials, .docker/config.json,
//     .git-credentials, .netrc, .pypirc, credentials.json/*service-account*.json, .dockercfg, .pgpass.
//  2. Other regular files up to CONTENT_CAP bytes are read when they are NOT in a vendor/system zone and their
//     extension is not a known binary/media/archive one. Vendor/system zones are trees that distributions and
//     package managers own and fill with documentation, sample keys and test fixtures (Python's test suite ships
//     private keys; node_modules packages ship fixture tokens): usr/share, usr/lib*, lib*, usr/include,
//     usr/src, var/lib/{dpkg,apt,…}, var/cache, var/log, proc, sys, dev, boot, and any node_modules,
//     site-packages, dist-packages, .git/objects. A credential file (rule 1) inside a zone is still read,
//     except for key files (*.pem/*.key), which vendor trees ship as fixtures.
//  3. Content with a NUL byte in the first 8 KiB is binary and is skipped.
//
// On the Debian base this reads ~200 files of /etc instead of ~5,000, and a 500 MB application image a few
// thousand (the bench measures it).
/** Largest file read for content (credential files larger than this are read up to the cap). */
const CONTENT_CAP = 256 * 1024;
const KEY_FILE = /(?:^|\/)(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|[^/]+\.(?:pem|key|p8|ppk))$/;
const CREDENTIAL_FILE = new RegExp([
    /(?:^|\/)\.npmrc$/,
    /(?:^|\/)\.env(?:\.[A-Za-z0-9_-]+)?$/,
    /(?:^|\/)\.aws\/credentials$/,
    /(?:^|\/)\.docker\/config\.json$/,
    /(?:^|\/)\.dockercfg$/,
    /(?:^|\/)\.git-credentials$/,
    /(?:^|\/)_?\.?netrc$/,
    /(?:^|\/)\.pypirc$/,
    /(?:^|\/)\.pgpass$/,
    /(?:^|\/)(?:credentials|[^/]*service[-_]?account[^/]*|[^/]+-[0-9a-f]{12})\.json$/
]
    .map((r) => r.source)
    .join('|'));
const ZONE = /^(?:usr\/share|usr\/lib(?:32|64|exec)?|lib(?:32|64)?|usr\/include|usr\/src|usr\/local\/lib\/python[^/]*|var\/lib\/(?:dpkg|apt|ucf|pam|systemd|misc)|var\/cache|var\/log|proc|sys|dev|boot)(?:\/|$)|(?:^|\/)(?:node_modules|site-packages|dist-packages|\.git\/objects|__pycache__)(?:\/|$)/;
const BINARY_EXT = /\.(?:so(?:\.\d+)*|a|o|ko|node|wasm|exe|dll|dylib|bin|dat|db|sqlite3?|pyc|pyo|class|jar|war|ear|zip|gz|tgz|bz2|xz|zst|lz4|7z|rar|tar|deb|rpm|apk|whl|egg|png|jpe?g|gif|bmp|ico|webp|svgz|tiff?|mp[34]|ogg|wav|flac|avi|mov|mkv|webm|woff2?|ttf|otf|eot|pdf|mo|gmo|pack|idx|icc|cache|map)$/i;
/** Why (and whether) a path is content-scanned; undefined = never read. */
function classifyPath(path) {
    // Debian's ssl-cert package generates this self-signed key at install time, on purpose, in every image that has it.
    if (path === 'etc/ssl/private/ssl-cert-snakeoil.key')
        return undefined;
    const inZone = ZONE.test(path);
    if (KEY_FILE.test(path))
        return inZone ? undefined : 'key-file';
    if (CREDENTIAL_FILE.test(path))
        return 'credential-file';
    if (inZone || BINARY_EXT.test(path))
        return undefined;
    return 'text';
}
/** Bytes of content to read for a regular file (0 = none). */
function contentBudget(path, size) {
    const place = classifyPath(path);
    if (place === undefined || size === 0)
        return 0;
    if (place === 'text')
        return size <= CONTENT_CAP ? size : 0;
    return Math.min(size, CONTENT_CAP);
}
/** NUL in the first 8 KiB: a binary file (the same test git and grep use). */
function looksBinary(content) {
    return content.subarray(0, 8192).includes(0);
}

/** Values shorter than this are only replaced as whole words, so `ARG DB_PASSWORD=root1` doesn't mangle `/root1x`. */
const SHORT = 8;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
class Redactor {
    masks = new Map();
    pattern;
    /** Returns true when the value is new. */
    add(value, masked) {
        if (this.masks.has(value))
            return false;
        this.masks.set(value, masked);
        this.pattern = undefined;
        return true;
    }
    maskOf(value) {
        return this.masks.get(value);
    }
    entries() {
        return [...this.masks].map(([value, masked]) => ({ value, masked }));
    }
    redact(text) {
        if (this.masks.size === 0)
            return text;
        if (!this.pattern) {
            // Longest first, so a value that contains another is replaced whole.
            const alts = [...this.masks.keys()]
                .sort((a, b) => b.length - a.length)
                .map((v) => (v.length < SHORT ? `(?<![A-Za-z0-9_])${escape(v)}(?![A-Za-z0-9_])` : escape(v)));
            this.pattern = new RegExp(alts.join('|'), 'g');
        }
        return text.replace(this.pattern, (m) => this.masks.get(m) ?? '…');
    }
    /** Deep copy of any JSON-like value with every string redacted (object keys too: labels are keyed by name). */
    redactDeep(value) {
        const walk = (v) => {
            if (typeof v === 'string')
                return this.redact(v);
            if (Array.isArray(v))
                return v.map(walk);
            if (v && typeof v === 'object') {
                const out = {};
                for (const [k, x] of Object.entries(v))
                    out[this.redact(k)] = walk(x);
                return out;
            }
            return v;
        };
        return walk(value);
    }
    redactFinding(f) {
        return this.redactDeep(f);
    }
}
/**
 * The report with every found secret value replaced by its mask, everywhere. The pipeline calls it last, after
 * all stages have added their parts. Also usable on any other JSON-like value (a diff, a rendered summary).
 */
function redactReport(report, source) {
    const entries = Array.isArray(source) ? source : source.redactions;
    const r = new Redactor();
    for (const e of entries)
        r.add(e.value, e.masked);
    return r.redactDeep(report);
}

function describe(s) {
    return s.fingerprint ? `fingerprint ${s.fingerprint.slice(0, 12)}…` : `rule ${s.rule ?? '*'} path ${s.path ?? '**'}`;
}
/** Validates one suppression and tells whether it is still in force. */
function inForce(s, now, runtime) {
    if (!s.fingerprint && !s.rule && !s.path) {
        throw new UserError('A secrets suppression in the configuration has neither `fingerprint` nor `rule`/`path`, so it would match nothing.', 'Give the `fingerprint` printed with the finding, or a `rule` (secret-file, secret-history, secret-config) and an image `path` glob.');
    }
    if (s.expires === undefined)
        return true;
    const t = Date.parse(s.expires);
    if (Number.isNaN(t)) {
        throw new UserError(`The secrets suppression for ${describe(s)} has expires: "${s.expires}", which is not a date.`, 'Write it as an ISO date, e.g. `expires: 2025-12-31`.');
    }
    // A date without a time lasts the whole day.
    const end = /^\d{4}-\d{2}-\d{2}$/.test(s.expires.trim()) ? t + 86_400_000 : t;
    if (end <= now.getTime()) {
        runtime.log.warning(`The secrets suppression for ${describe(s)}${s.reason ? ` (${s.reason})` : ''} expired on ${s.expires}; it no longer applies. Rotate the secret and remove the entry, or extend the date.`);
        return false;
    }
    return true;
}
function matches(s, f) {
    if (s.fingerprint)
        return s.fingerprint.toLowerCase() === f.fingerprint ? 'fingerprint' : undefined;
    if (s.rule && s.rule !== f.rule)
        return undefined;
    const where = f.path ?? (typeof f.details?.location === 'string' ? f.details.location : undefined);
    if (s.path && (where === undefined || !matchesGlob(where, s.path)))
        return undefined;
    return 'rule-path';
}
function applySuppressions(findings, suppressions, runtime, now) {
    const active = suppressions.filter((s) => inForce(s, now, runtime));
    if (active.length === 0)
        return findings;
    return findings.map((f) => {
        for (const s of active) {
            const by = matches(s, f);
            if (by)
                return { ...f, suppressed: { by, ...(s.reason ? { reason: s.reason } : {}) } };
        }
        return f;
    });
}

class VisibilityTracker {
    byKey = new Map();
    order = [];
    onEntry(entry) {
        let layer = this.byKey.get(entry.layerKey);
        if (!layer)
            this.byKey.set(entry.layerKey, (layer = { paths: new Set(), deleted: new Set(), opaque: new Set() }));
        if (entry.whiteout?.kind === 'delete')
            layer.deleted.add(entry.whiteout.target);
        else if (entry.whiteout?.kind === 'opaque')
            layer.opaque.add(entry.whiteout.target);
        else
            layer.paths.add(entry.path);
    }
    finish(layout) {
        this.order = layout.layerOrder.map((k) => this.byKey.get(k) ?? { paths: new Set(), deleted: new Set(), opaque: new Set() });
    }
    lookup(path, layerIndex) {
        if (layerIndex < 0 || layerIndex >= this.order.length)
            return undefined;
        const ancestors = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
        for (let i = layerIndex + 1; i < this.order.length; i++) {
            const layer = this.order[i];
            // A later layer can delete the file or a parent, make a parent opaque, or write the same path.
            if (ancestors.some((a) => layer.deleted.has(a)))
                return { visibleInFinal: false, hiddenInLayer: i, how: 'deleted' };
            if (ancestors.slice(0, -1).some((a) => layer.opaque.has(a)))
                return { visibleInFinal: false, hiddenInLayer: i, how: 'opaque' };
            if (layer.paths.has(path))
                return { visibleInFinal: false, hiddenInLayer: i, how: 'overwritten' };
        }
        return { visibleInFinal: true };
    }
}

function createSecretScan(opts) {
    const { config, runtime } = opts;
    const allowPaths = config.secrets.allowPaths;
    const redactor = new Redactor();
    const fileHits = [];
    const tracker = new VisibilityTracker();
    let layout;
    /** Called for every value the moment it is found: from here on the host masks it in logs. */
    const remember = (detector, value) => {
        const masked = maskFor(detector, value);
        if (redactor.add(value, masked)) {
            runtime.maskSecret(value);
            // Multi-line values (PEM blocks): hosts mask line by line, so register each substantial line too.
            if (value.includes('\n'))
                for (const line of value.split(/\r?\n/))
                    if (line.trim().length >= 8)
                        runtime.maskSecret(line.trim());
        }
        return masked;
    };
    const subscriber = {
        onEntry(entry) {
            tracker.onEntry(entry);
        },
        wantContent(entry) {
            if (entry.kind !== 'file' || entry.whiteout || matchesAny(entry.path, allowPaths))
                return 0;
            return contentBudget(entry.path, entry.size);
        },
        onContent(entry, content) {
            if (looksBinary(content))
                return;
            for (const hit of scanText(content.toString('utf8'), { path: entry.path })) {
                remember(hit.detector, hit.value);
                fileHits.push({ layerKey: entry.layerKey, path: entry.path, hit });
            }
        },
        finish(l) {
            layout = l;
            tracker.finish(l);
        }
    };
    function findings(analysis) {
        const history = analysis.image?.history ?? [];
        const historyCandidates = scanHistory(history);
        const configCandidates = scanConfig(analysis.image?.config, history);
        // An ENV/LABEL still in the config is reported there (with the step that set it), not twice.
        const inConfig = new Set(configCandidates.map((c) => `${c.location.replace(/^config:(Env|Labels):/, (_, k) => (k === 'Env' ? 'env:' : 'label:'))}\0${c.value}`));
        const history2 = historyCandidates.filter((c) => !inConfig.has(`${c.location.replace(/^history:/, '')}\0${c.value}`));
        const out = [];
        for (const c of [...history2, ...configCandidates])
            out.push(toFinding(c, analysis));
        out.push(...fileFindings(analysis));
        return applySuppressions(out.map((f) => redactor.redactFinding(f)), config.secrets.suppressions, runtime, opts.now ?? new Date());
    }
    function addCandidate(list, c, step) {
        const key = `${c.rule}\0${c.location}\0${c.value}`;
        let existing = list.get(key);
        if (!existing)
            list.set(key, (existing = { ...c, steps: [] }));
        if (step !== undefined && !existing.steps.includes(step))
            existing.steps.push(step);
    }
    /** Token detectors on `NAME=value` (so name-context rules like the AWS secret key fire), else the name rule. */
    function scanPair(pair, rule, location, where, list, step) {
        const text = `${pair.name}=${pair.value}`;
        const hits = scanText(text).filter((h) => h.index >= pair.name.length);
        for (const h of hits) {
            remember(h.detector, h.value);
            addCandidate(list, { rule, location, value: h.value, detector: h.detector, confidence: h.confidence, severity: h.severity, where }, step);
        }
        if (hits.length > 0)
            return;
        const named = assessNamedValue(pair.name, pair.value);
        if (named) {
            const value = pair.value.trim();
            remember(secretName, value);
            addCandidate(list, { rule, location, value, detector: secretName, confidence: named.confidence, severity: secretName.severity, where }, step);
        }
    }
    function scanFreeText(text, rule, location, where, list, step) {
        for (const h of scanText(text)) {
            remember(h.detector, h.value);
            addCandidate(list, { rule, location: location(h.detector), value: h.value, detector: h.detector, confidence: h.confidence, severity: h.severity, where }, step);
        }
    }
    function scanHistory(history) {
        const list = new Map();
        const declared = new Set();
        history.forEach((entry, i) => {
            const createdBy = entry.createdBy ?? '';
            if (!createdBy)
                return;
            const argName = declaredArgName(createdBy);
            if (argName)
                declared.add(argName);
            const step = parseCreatedBy$1(createdBy, declared);
            const rule = 'secret-history';
            switch (step.instruction) {
                case 'RUN':
                    for (const p of step.pairs)
                        scanPair(p, rule, `history:arg:${p.name}`, `build arg ${p.name}`, list, i);
                    scanFreeText(step.text, rule, (d) => `history:run:${d.id}`, 'a RUN command', list, i);
                    return;
                case 'ENV':
                case 'ARG':
                case 'LABEL': {
                    const kind = step.instruction.toLowerCase();
                    const label = step.instruction === 'ARG' ? 'build arg default' : step.instruction;
                    for (const p of step.pairs)
                        scanPair(p, rule, `history:${kind}:${p.name}`, `${label} ${p.name}`, list, i);
                    if (step.text)
                        scanFreeText(step.text, rule, (d) => `history:${kind}:${d.id}`, `a ${step.instruction} step`, list, i);
                    return;
                }
                default:
                    scanFreeText(createdBy, rule, (d) => `history:${(step.instruction || 'step').toLowerCase()}:${d.id}`, `a ${step.instruction || 'history'} step`, list, i);
            }
        });
        return [...list.values()];
    }
    function scanConfig(cfg, history) {
        const list = new Map();
        if (!cfg)
            return [];
        const rule = 'secret-config';
        // The step that set an ENV/LABEL, for the message: the last history entry that mentions `NAME=`.
        const setBy = (instruction, name) => {
            for (let i = history.length - 1; i >= 0; i--) {
                const p = parseCreatedBy$1(history[i].createdBy ?? '');
                if (p.instruction === instruction && p.pairs.some((x) => x.name === name))
                    return i;
            }
            return undefined;
        };
        for (const env of cfg.env ?? []) {
            const eq = env.indexOf('=');
            const pair = eq < 0 ? { name: env, value: '' } : { name: env.slice(0, eq), value: env.slice(eq + 1) };
            if (!pair.value)
                continue;
            scanPair(pair, rule, `config:Env:${pair.name}`, `ENV ${pair.name}`, list, setBy('ENV', pair.name));
        }
        for (const [key, value] of Object.entries(cfg.labels ?? {})) {
            scanPair({ name: key, value }, rule, `config:Labels:${key}`, `LABEL ${key}`, list, setBy('LABEL', key));
        }
        for (const [field, args] of [['Entrypoint', cfg.entrypoint], ['Cmd', cfg.cmd]]) {
            if (!args?.length)
                continue;
            scanFreeText(args.join(' '), rule, () => `config:${field}`, field.toUpperCase(), list);
            // `--password=…` / `--api-key=…` options with a literal value.
            for (const arg of args) {
                const m = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/.exec(arg);
                if (m)
                    scanPair({ name: m[1], value: m[2] }, rule, `config:${field}:${m[1]}`, `${field.toUpperCase()} option --${m[1]}`, list);
            }
        }
        for (const [field, value] of [['User', cfg.user], ['WorkingDir', cfg.workdir]]) {
            if (value)
                scanFreeText(value, rule, () => `config:${field}`, field, list);
        }
        return [...list.values()];
    }
    function toFinding(c, analysis) {
        const history = analysis.image?.history ?? [];
        const masked = redactor.maskOf(c.value);
        const first = c.steps.length ? history[c.steps[0]] : undefined;
        const layer = c.steps.map((s) => history[s]?.layer).find((l) => l !== undefined);
        const title = c.detector.title;
        let message;
        if (c.rule === 'secret-history') {
            const n = c.steps.length;
            message =
                `${cap(title)} (${masked}) in ${c.where}, recorded in the image history` +
                    (first ? ` by ${n > 1 ? `${n} steps, first ` : ''}\`${shortStep(first.createdBy)}\`` : '') +
                    ': `docker history` shows it to anyone who can pull the image.';
        }
        else {
            message =
                `${cap(title)} (${masked}) in ${c.where} of the image config` +
                    (first ? `, set by \`${shortStep(first.createdBy)}\`` : '') +
                    ': every container and everyone who can pull the image can read it.';
        }
        return {
            rule: c.rule,
            severity: c.severity,
            category: 'secret',
            message,
            layer,
            masked,
            fingerprint: fingerprint(c.rule, c.location, c.value),
            details: {
                detector: c.detector.id,
                confidence: c.confidence,
                location: c.location,
                steps: c.steps,
                ...(first ? { step: first.createdBy } : {})
            }
        };
    }
    function fileFindings(analysis) {
        const keyIndex = new Map((layout?.layerOrder ?? []).map((k, i) => [k, i]));
        const lookup = analysis.files ?? tracker;
        // One finding per (path, value): the earliest layer that has it; later copies are listed.
        const byFingerprint = new Map();
        for (const f of fileHits) {
            const fp = fingerprint('secret-file', f.path, f.hit.value);
            const layer = keyIndex.get(f.layerKey);
            const seen = byFingerprint.get(fp);
            if (!seen)
                byFingerprint.set(fp, { f, layer, layers: layer === undefined ? [] : [layer] });
            else {
                if (layer !== undefined && !seen.layers.includes(layer))
                    seen.layers.push(layer);
                if (layer !== undefined && (seen.layer === undefined || layer < seen.layer))
                    Object.assign(seen, { f, layer });
            }
        }
        const out = [];
        for (const [fp, { f, layer, layers }] of byFingerprint) {
            layers.sort((a, b) => a - b);
            // Visible in the final filesystem if any copy (same path, same value) is; otherwise report the top copy's hider.
            const vis = layers.map((l) => ({ l, v: lookup.lookup(f.path, l) }));
            const visible = vis.find((x) => x.v?.visibleInFinal);
            const hidden = visible ? undefined : vis[vis.length - 1];
            out.push(fileFinding(fp, f, layer, layers, visible ? { visibleInFinal: true } : hidden?.v, analysis.layers));
        }
        return out.sort((a, b) => (a.layer ?? 0) - (b.layer ?? 0) || (a.path ?? '').localeCompare(b.path ?? ''));
    }
    function fileFinding(fp, f, layer, layers, vis, layerReports) {
        const { hit, path } = f;
        const masked = redactor.maskOf(hit.value);
        const addedBy = layer !== undefined ? layerReports[layer]?.createdBy : undefined;
        const hiddenBy = vis?.hiddenInLayer !== undefined ? layerReports[vis.hiddenInLayer]?.createdBy : undefined;
        const at = layer !== undefined ? `layer ${layer}${addedBy ? `, added by \`${shortStep(addedBy)}\`` : ''}` : 'a layer';
        const what = hit.name ? `${hit.detector.title} ${hit.name}` : hit.detector.title;
        let message = `${cap(what)} (${masked}) in /${path} line ${hit.line} (${at})`;
        if (vis?.visibleInFinal)
            message += ': still visible in the final filesystem.';
        else if (vis && vis.hiddenInLayer !== undefined) {
            const how = vis.how === 'overwritten' ? 'overwritten' : vis.how === 'opaque' ? 'hidden (directory replaced)' : 'deleted';
            message +=
                `; ${how} in layer ${vis.hiddenInLayer}${hiddenBy ? ` by \`${shortStep(hiddenBy)}\`` : ''}` +
                    `, but layer ${layer} still ships it to everyone who pulls the image.`;
        }
        else
            message += '.';
        return {
            rule: 'secret-file',
            severity: hit.severity,
            category: 'secret',
            message,
            layer,
            path,
            masked,
            fingerprint: fp,
            details: {
                detector: hit.detector.id,
                confidence: hit.confidence,
                line: hit.line,
                addedInLayer: layer,
                ...(addedBy !== undefined ? { addedBy } : {}),
                ...(layers.length > 1 ? { alsoInLayers: layers.filter((l) => l !== layer) } : {}),
                visibleInFinal: vis?.visibleInFinal,
                ...(vis?.hiddenInLayer !== undefined ? { hiddenInLayer: vis.hiddenInLayer, how: vis.how } : {}),
                ...(hiddenBy !== undefined ? { hiddenBy } : {})
            }
        };
    }
    return {
        subscriber,
        findings,
        get redactions() {
            return redactor.entries();
        }
    };
}
/** Sentence case, except for names that are always lower case (npm, .npmrc). */
const cap = (s) => (/^(?:npm|\.)/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1));

// Rule metadata for the three finding ids (texts live in report/rule-meta.ts, shared with SARIF) and the
// detector catalogue (for the README table and `details.detector`).
stageRuleMetas.filter((m) => m.category === 'secret');
detectors.map(({ id, title, description, severity }) => ({ id, title, description, severity }));

// Ties image layers (history `created_by`) to Dockerfile instructions and lines, so a report can say
// "line 7 `RUN apt-get install …` added 134 MB". BuildKit records each step as its instruction text
// (`RUN /bin/sh -c …`, `RUN |1 K=V …`, `COPY src dst`, flags dropped), newest last, so we match the shipped
// stage's instructions to the history from the top down: what is left at the bottom is the base image.
const collapse = (s) => s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
/** Parses a Dockerfile and returns the instruction chain that ends up in the shipped image. */
function shippedChain(contents, target) {
    const df = mainExports.DockerfileParser.parse(contents);
    const froms = df.getFROMs();
    const stages = froms.map((f, i) => f.getBuildStage() ?? String(i));
    const globalArgs = new Map();
    const firstFrom = froms.length ? froms[0].getRange().start.line : Number.MAX_SAFE_INTEGER;
    for (const ins of df.getInstructions()) {
        if (ins.getKeyword() === 'ARG' && ins.getRange().start.line < firstFrom) {
            const [name, ...rest] = (ins.getArgumentsContent() ?? '').split('=');
            if (rest.length)
                globalArgs.set(name.trim(), rest.join('=').trim().replace(/^["']|["']$/g, ''));
        }
    }
    const instructionsOf = (stageIndex) => {
        const start = froms[stageIndex].getRange().start.line;
        const end = stageIndex + 1 < froms.length ? froms[stageIndex + 1].getRange().start.line : Number.MAX_SAFE_INTEGER;
        return df.getInstructions().filter((i) => {
            const l = i.getRange().start.line;
            return l > start && l < end;
        });
    };
    let index = froms.length - 1;
    if (target) {
        index = stages.findIndex((s) => s.toLowerCase() === target.toLowerCase());
        if (index < 0)
            index = froms.length - 1; // the linter reports unknown targets; attribution just degrades
    }
    const chain = [];
    let baseImage;
    const seen = new Set();
    while (index >= 0 && !seen.has(index)) {
        seen.add(index);
        chain.unshift(index);
        const image = (froms[index].getImageName() ?? '').replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, n) => globalArgs.get(n) ?? m);
        const tag = froms[index].getImageTag();
        const digest = froms[index].getImageDigest();
        const parent = stages.findIndex((s, i) => i < index && s.toLowerCase() === image.toLowerCase());
        if (parent >= 0) {
            index = parent;
        }
        else {
            baseImage = image + (digest ? `@${digest}` : tag ? `:${tag}` : '');
            break;
        }
    }
    const steps = chain.flatMap((si) => instructionsOf(si).map((ins) => ({
        keyword: ins.getKeyword().toUpperCase(),
        args: collapse(ins.getArgumentsContent() ?? ''),
        instruction: collapse(ins.getTextContent?.() ?? `${ins.getKeyword()} ${ins.getArgumentsContent() ?? ''}`),
        line: ins.getRange().start.line + 1,
        endLine: ins.getRange().end.line + 1,
        stage: stages[si]
    })));
    return { steps, baseImage, stages };
}
/** The instruction keyword and comparable text of a history `created_by`. */
function parseCreatedBy(createdBy) {
    let s = createdBy.trim().replace(/\s*# buildkit$/, '');
    // Classic builder: `/bin/sh -c #(nop)  ENV A=1` or `/bin/sh -c apt-get …`
    const nop = /^\/bin\/sh -c #\(nop\)\s+(.*)$/s.exec(s);
    if (nop)
        s = nop[1];
    else if (/^\/bin\/sh -c /.test(s))
        s = 'RUN ' + s;
    const keyword = (/^(\S+)/.exec(s)?.[1] ?? '').toUpperCase();
    let text = s.slice(keyword.length).trim();
    if (keyword === 'RUN') {
        // `RUN |2 A=1 B=2 /bin/sh -c cmd`: drop the build-arg prefix (its values are the secret scanner's business).
        const m = /^\|(\d+)\s+/.exec(text);
        if (m) {
            let rest = text.slice(m[0].length);
            for (let i = 0; i < Number(m[1]); i++)
                rest = rest.replace(/^\S+=\S*\s*/, '');
            text = rest;
        }
        text = text.replace(/^\/bin\/sh -c /, '');
    }
    return { keyword, text: collapse(text) };
}
function similar(a, b) {
    if (a === b)
        return true;
    const norm = (s) => s.replace(/^\[|\]$/g, '').replace(/["',]/g, ' ').replace(/\s+/g, ' ').trim();
    return norm(a) === norm(b) || norm(a).includes(norm(b)) || norm(b).includes(norm(a));
}
/**
 * Assigns a Dockerfile step to each history entry, walking both newest-first. Keyword must agree; for RUN the
 * command text must agree too (BuildKit keeps it verbatim, minus heredoc bodies and flags).
 */
function attributeHistory(history, steps) {
    const out = history.map(() => undefined);
    let s = steps.length - 1;
    for (let h = history.length - 1; h >= 0 && s >= 0; h--) {
        const { keyword, text } = parseCreatedBy(history[h].createdBy);
        if (!keyword)
            break; // imported/base layers have no created_by: we reached the base image
        // Look a few steps back at most: steps BuildKit skips in history (none today) must not derail the walk.
        for (let k = s; k >= Math.max(0, s - 3); k--) {
            const step = steps[k];
            if (step.keyword !== keyword)
                continue;
            if (keyword === 'RUN' && !similar(text, step.args.replace(/^(--\S+\s+)+/, '')))
                continue;
            out[h] = step;
            s = k - 1;
            break;
        }
    }
    return out;
}

// Kept in step with package.json by __tests__/version.test.ts.
const TOOL_VERSION = '0.1.0';

// The whole audit for one image: lint → build (or take an existing image) → one streaming analysis pass shared
// with the secret scanner → step attribution → one Report. No verdict here: the gate adds it, so a saved
// report stays a neutral baseline.
async function runAudit(opts, runtime) {
    const cwd = opts.cwd ?? process.cwd();
    const { build, config } = opts;
    if (!build && !opts.image) {
        throw new UserError('Nothing to audit.', 'Give a Dockerfile to build (file/context) or an existing image (image / --image).');
    }
    const findings = [];
    let dockerfileText;
    if (build) {
        if (!opts.image)
            checkBuildPaths(build, cwd);
        const dockerfilePath = path.resolve(cwd, build.file);
        dockerfileText = await readFile(dockerfilePath, 'utf8').catch(() => undefined);
        if (dockerfileText !== undefined && !opts.skipLint) {
            findings.push(...(await runtime.log.group('Lint Dockerfile', async () => lintDockerfile({ dockerfile: build.file, context: path.resolve(cwd, build.context), target: build.target, config, contents: dockerfileText, cwd }))));
        }
    }
    await ensureEngine(runtime);
    let ref;
    if (opts.image) {
        await ensureImage(runtime, opts.image);
        ref = opts.image;
    }
    else {
        await ensureBuildx(runtime, build.builder);
        const result = await runBuild(build, runtime, cwd);
        ref = build.tags[0] ?? result.imageId;
        runtime.log.info(`Built ${ref} in ${result.seconds.toFixed(1)} s`);
    }
    const chain = dockerfileText !== undefined ? shippedChain(dockerfileText, build?.target) : undefined;
    const baseLayerCount = chain?.baseImage === undefined ? undefined : chain.baseImage === 'scratch' ? 0 : await layerCount(runtime, chain.baseImage);
    const secretScan = createSecretScan({ config, runtime });
    const analysis = await runtime.log.group(`Analyse ${ref}`, () => analyseImage({ ref, runtime, config, subscribers: [secretScan.subscriber], baseLayerCount }));
    findings.push(...analysis.findings, ...secretScan.findings(analysis));
    // Attribute layers (and the findings on them) to Dockerfile lines.
    if (chain && analysis.image.history) {
        const steps = attributeHistory(analysis.image.history, chain.steps);
        analysis.image.history.forEach((h, i) => {
            const step = steps[i];
            if (step && h.layer !== undefined && analysis.layers[h.layer]) {
                const { instruction, line, endLine, stage } = step;
                analysis.layers[h.layer].step = { instruction, line, endLine, stage };
            }
        });
        for (const f of findings) {
            // Layer findings point at the layer's step; history/config findings (no layer) carry history indexes.
            const historyIndex = Array.isArray(f.details?.steps) ? f.details.steps[0] : undefined;
            const step = f.layer !== undefined ? analysis.layers[f.layer]?.step : historyIndex !== undefined ? steps[historyIndex] : undefined;
            if (step && !f.file) {
                f.file = build.file;
                f.line = step.line;
                f.endLine = step.endLine;
            }
        }
    }
    const report = {
        schemaVersion: 1,
        tool: { name: 'image-audit', version: TOOL_VERSION },
        generatedAt: new Date().toISOString(),
        source: build ? { dockerfile: build.file, context: build.context, target: build.target } : undefined,
        image: analysis.image,
        layers: analysis.layers,
        findings: applyRuleConfig(findings, config),
        wastedFiles: analysis.wastedFiles,
        largestDirectories: analysis.largestDirectories
    };
    return redactReport(report, secretScan);
}
/** `rules: { id: off | severity }` from the config applies to every stage's findings alike. */
function applyRuleConfig(findings, config) {
    return findings
        .filter((f) => config.rules[f.rule] !== 'off')
        .map((f) => {
        const override = config.rules[f.rule];
        return override && override !== 'off' ? { ...f, severity: override } : f;
    });
}
/** Lint only (the `lint` command): no engine needed. */
async function runLint(opts) {
    const cwd = opts.cwd ?? process.cwd();
    const findings = await lintDockerfile({
        dockerfile: opts.dockerfile,
        context: opts.context ? path.resolve(cwd, opts.context) : undefined,
        target: opts.target,
        config: opts.config,
        cwd
    });
    return {
        schemaVersion: 1,
        tool: { name: 'image-audit', version: TOOL_VERSION },
        generatedAt: new Date().toISOString(),
        source: { dockerfile: opts.dockerfile, context: opts.context, target: opts.target },
        layers: [],
        findings // lintDockerfile already applied the config's rule severities
    };
}

/** `RUN /bin/sh -c apt-get …  # buildkit` and `/bin/sh -c #(nop)  COPY …` → `RUN apt-get …` / `COPY …`. */
function normaliseCreatedBy(createdBy) {
    let text = createdBy.trim().replace(/\s+#\s*buildkit\s*$/, '');
    text = text.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
    // Legacy builder RUN: `/bin/sh -c cmd`; BuildKit RUN: `RUN /bin/sh -c cmd`, optionally with `|N ARG=v…` first.
    const run = /^(?:RUN\s+)?(?:\|\d+\s+(?:\S+=\S*\s+)*)?\/bin\/sh -c\s+(.*)$/s.exec(text);
    if (run)
        text = `RUN ${run[1]}`;
    return normaliseInstruction(text);
}
/** Whitespace collapsed (continuation lines joined), keyword upper-cased. */
function normaliseInstruction(text) {
    const collapsed = text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
    return collapsed.replace(/^[a-z]+\b/i, (kw) => kw.toUpperCase());
}
function unitsOf(report) {
    const units = [];
    for (const layer of report.layers) {
        const instruction = layer.step ? normaliseInstruction(layer.step.instruction) : normaliseCreatedBy(layer.createdBy);
        const key = `${layer.fromBase ? 'base' : 'user'}\u0000${instruction}`;
        const previous = units[units.length - 1];
        // A step that made several consecutive layers (rare, but e.g. multi-layer attribution) stays one unit.
        if (previous && previous.key === key && layer.step && previous.line === layer.step.line) {
            previous.layers.push(layer);
            continue;
        }
        units.push({ key, instruction, line: layer.step?.line, stage: layer.step?.stage, fromBase: layer.fromBase, layers: [layer] });
    }
    return units;
}
const sum = (layers, pick) => layers.reduce((n, l) => n + pick(l), 0);
function toMatch(base, head, matchedBy) {
    const baseLayers = base?.layers ?? [];
    const headLayers = head?.layers ?? [];
    const baseSize = sum(baseLayers, (l) => l.size);
    const headSize = sum(headLayers, (l) => l.size);
    const sameContent = baseLayers.length === headLayers.length && baseLayers.every((l, i) => l.diffId === headLayers[i].diffId);
    const status = !base ? 'added' : !head ? 'removed' : sameContent ? 'unchanged' : 'changed';
    const shown = (head ?? base);
    return {
        instruction: shown.instruction,
        ...(base && head && base.instruction !== head.instruction ? { baseInstruction: base.instruction } : {}),
        baseLine: base?.line,
        headLine: head?.line,
        stage: shown.stage,
        fromBase: shown.fromBase,
        baseLayers: baseLayers.map((l) => l.index),
        headLayers: headLayers.map((l) => l.index),
        baseSize,
        headSize,
        baseCompressedSize: sum(baseLayers, (l) => l.compressedSize),
        headCompressedSize: sum(headLayers, (l) => l.compressedSize),
        delta: headSize - baseSize,
        status,
        ...(matchedBy ? { matchedBy } : {})
    };
}
function matchSteps(base, head) {
    const baseUnits = unitsOf(base);
    const headUnits = unitsOf(head);
    const pairedBase = new Map(); // head unit → base unit
    const used = new Set();
    // Pass 1: same instruction. Repeated instructions pair in order of occurrence.
    const byKey = new Map();
    for (const u of baseUnits)
        byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
    const how = new Map();
    for (const h of headUnits) {
        const candidates = byKey.get(h.key);
        const b = candidates?.shift();
        if (b) {
            pairedBase.set(h, b);
            used.add(b);
            how.set(h, 'instruction');
        }
    }
    // Pass 2: same Dockerfile line, same side of the FROM boundary (an instruction edited in place).
    for (const h of headUnits) {
        if (pairedBase.has(h) || h.line === undefined)
            continue;
        const b = baseUnits.find((u) => !used.has(u) && u.line === h.line && u.fromBase === h.fromBase && u.stage === h.stage);
        if (b) {
            pairedBase.set(h, b);
            used.add(b);
            how.set(h, 'line');
        }
    }
    const matches = headUnits.map((h) => toMatch(pairedBase.get(h), h, how.get(h)));
    for (const b of baseUnits)
        if (!used.has(b))
            matches.push(toMatch(b, undefined));
    return matches;
}

/** Unsuppressed findings of a category: the ones that count (and can fail the run). */
const activeFindings = (report, category) => report.findings.filter((f) => f.category === category && !f.suppressed);
const METRICS = [
    { name: 'size', label: 'Size', unit: 'bytes', read: (r) => r.image?.size },
    { name: 'compressedSize', label: 'Compressed size', unit: 'bytes', read: (r) => r.image?.compressedSize },
    { name: 'layers', label: 'Layers', unit: 'count', read: (r) => r.image?.layers },
    { name: 'wastedBytes', label: 'Wasted bytes', unit: 'bytes', read: (r) => r.image?.wastedBytes },
    { name: 'efficiency', label: 'Efficiency', unit: 'ratio', read: (r) => r.image?.efficiency },
    { name: 'packages', label: 'Packages', unit: 'count', read: (r) => r.image?.packages },
    { name: 'executables', label: 'Executables', unit: 'count', read: (r) => r.image?.executables },
    { name: 'secretFindings', label: 'Secret findings', unit: 'count', read: (r) => activeFindings(r, 'secret').length },
    { name: 'lintFindings', label: 'Lint findings', unit: 'count', read: (r) => activeFindings(r, 'lint').length }
];
/** The metric rows for one report alone (no baseline): same rows, head values only. */
function reportMetrics(head, base) {
    return METRICS.map(({ name, label, unit, read }) => {
        const h = read(head);
        const b = base ? read(base) : undefined;
        return { name, label, unit, base: b, head: h, delta: h !== undefined && b !== undefined ? h - b : undefined };
    });
}
function compareReports(base, head, baseLabel) {
    const baseFingerprints = new Set(base.findings.map((f) => f.fingerprint));
    const headFingerprints = new Set(head.findings.map((f) => f.fingerprint));
    return {
        ...({}),
        metrics: reportMetrics(head, base),
        steps: matchSteps(base, head),
        newFindings: head.findings.filter((f) => !baseFingerprints.has(f.fingerprint)),
        existingFindings: head.findings.filter((f) => baseFingerprints.has(f.fingerprint)),
        fixedFindings: base.findings.filter((f) => !headFingerprints.has(f.fingerprint))
    };
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };
const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const formatLimit = (limit, of) => ('bytes' in limit ? formatBytes(limit.bytes) : `${limit.percent} % of ${of}`);
/** Lint findings at or above the failing severity, unsuppressed. */
function failingLintFindings(report, failOn) {
    if (failOn === 'none')
        return [];
    return activeFindings(report, 'lint').filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}
function evaluateThresholds(report, diff, t) {
    const checks = [];
    const image = report.image;
    const skip = (name, limit, reason) => checks.push({ name, limit, actual: 'not evaluated', passed: true, skipped: reason });
    const noImage = 'no image was analysed';
    const maxBytes = (name, limit, actual) => {
        if (limit === undefined)
            return;
        if (actual === undefined)
            return skip(name, formatBytes(limit), noImage);
        checks.push({ name, limit: formatBytes(limit), actual: formatBytes(actual), passed: actual <= limit });
    };
    maxBytes('max-size', t.maxSize, image?.size);
    maxBytes('max-compressed-size', t.maxCompressedSize, image?.compressedSize);
    if (t.maxLayers !== undefined) {
        if (!image)
            skip('max-layers', String(t.maxLayers), noImage);
        else
            checks.push({ name: 'max-layers', limit: String(t.maxLayers), actual: String(image.layers), passed: image.layers <= t.maxLayers });
    }
    const baseImage = diff?.metrics.find((m) => m.name === 'size')?.base;
    if (t.maxSizeIncrease !== undefined) {
        const limitText = 'bytes' in t.maxSizeIncrease ? `+${formatBytes(t.maxSizeIncrease.bytes)}` : `+${t.maxSizeIncrease.percent} % of the base`;
        if (!image)
            skip('max-size-increase', limitText, noImage);
        else if (!diff || baseImage === undefined)
            skip('max-size-increase', limitText, 'no baseline to compare with');
        else {
            const delta = image.size - baseImage;
            const allowed = 'bytes' in t.maxSizeIncrease ? t.maxSizeIncrease.bytes : (baseImage * t.maxSizeIncrease.percent) / 100;
            const pct = formatPercentDelta(delta, baseImage);
            checks.push({ name: 'max-size-increase', limit: limitText, actual: `${formatBytesDelta(delta)} (${pct})`, passed: delta <= allowed });
        }
    }
    if (t.maxLayersIncrease !== undefined) {
        const limitText = `+${t.maxLayersIncrease}`;
        const baseLayers = diff?.metrics.find((m) => m.name === 'layers')?.base;
        if (!image)
            skip('max-layers-increase', limitText, noImage);
        else if (!diff || baseLayers === undefined)
            skip('max-layers-increase', limitText, 'no baseline to compare with');
        else {
            const delta = image.layers - baseLayers;
            checks.push({ name: 'max-layers-increase', limit: limitText, actual: `${delta >= 0 ? '+' : ''}${delta}`, passed: delta <= t.maxLayersIncrease });
        }
    }
    if (t.maxWasted !== undefined) {
        const limitText = formatLimit(t.maxWasted, 'the image size');
        if (!image)
            skip('max-wasted', limitText, noImage);
        else {
            const allowed = 'bytes' in t.maxWasted ? t.maxWasted.bytes : (image.size * t.maxWasted.percent) / 100;
            const share = image.size > 0 ? ` (${((image.wastedBytes / image.size) * 100).toFixed(1)} %)` : '';
            checks.push({ name: 'max-wasted', limit: limitText, actual: `${formatBytes(image.wastedBytes)}${share}`, passed: image.wastedBytes <= allowed });
        }
    }
    if (t.minEfficiency !== undefined) {
        if (!image)
            skip('min-efficiency', percent(t.minEfficiency), noImage);
        else
            checks.push({ name: 'min-efficiency', limit: percent(t.minEfficiency), actual: percent(image.efficiency), passed: image.efficiency >= t.minEfficiency });
    }
    if (t.failOnSecrets) {
        const secrets = activeFindings(report, 'secret').length;
        checks.push({ name: 'fail-on-secrets', limit: '0 secrets', actual: plural(secrets, 'secret'), passed: secrets === 0 });
    }
    if (t.failOnLint !== 'none') {
        const failing = failingLintFindings(report, t.failOnLint);
        const limit = t.failOnLint === 'info' ? 'no lint findings' : t.failOnLint === 'warning' ? 'no lint warnings or errors' : 'no lint errors';
        const counts = ['error', 'warning', 'info']
            .map((s) => [s, failing.filter((f) => f.severity === s).length])
            .filter(([, n]) => n > 0)
            .map(([s, n]) => plural(n, s));
        checks.push({ name: 'fail-on-lint', limit, actual: counts.length ? counts.join(', ') : 'none', passed: failing.length === 0 });
    }
    const failed = checks.filter((c) => !c.passed);
    const describe = (c) => c.name === 'fail-on-secrets' || c.name === 'fail-on-lint'
        ? `${c.name} (${c.actual})`
        : `${c.name} (${c.actual} ${c.name.startsWith('min-') ? '<' : '>'} ${c.limit})`;
    return {
        passed: failed.length === 0,
        checks,
        summary: failed.length === 0 ? 'passed' : `failed: ${failed.map(describe).join(', ')}`
    };
}

// Text from Dockerfiles, image history and file paths is attacker-controlled in a PR: it must render as plain
// text in GitHub Markdown, inside tables and inside HTML blocks, and must never ping anyone. Every character
// Markdown or HTML could interpret becomes a numeric entity (entities are decoded in text but never parsed
// again), and `@` gets a zero-width space after it so `@org/team` is not a mention.
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '|': '&#124;',
    '`': '&#96;',
    '\\': '&#92;',
    '*': '&#42;',
    _: '&#95;',
    '[': '&#91;',
    ']': '&#93;',
    '(': '&#40;',
    ')': '&#41;',
    '#': '&#35;',
    '!': '&#33;',
    '~': '&#126;',
    $: '&#36;',
    ':': '&#58;',
    '@': '@&#8203;'
};
/** Inline text for Markdown or HTML: one line, every special character neutralised. */
function escapeMarkdown(text) {
    return text.replace(/\r?\n|\r|\t/g, ' ').replace(/[&<>"'|`\\*_[\]()#!~$:@]/g, (c) => ENTITIES[c]);
}
/** Cuts to `max` code points with an ellipsis (before escaping, so no entity is ever cut in half). */
function shorten(text, max) {
    const chars = Array.from(text);
    return chars.length <= max ? text : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}
/** Escaped, shortened text inside `<code>` (not a backtick span: entities are not decoded in code spans). */
const code$1 = (text, max = 100) => `<code>${escapeMarkdown(shorten(text, max))}</code>`;
/** A label Mermaid accepts inside double quotes: plain ASCII words only. */
function mermaidLabel(text, max = 24) {
    const cleaned = text.replace(/[^A-Za-z0-9 ._:/=+-]/g, ' ').replace(/\s+/g, ' ').trim();
    return `"${shorten(cleaned, max).replace(/…$/, '..')}"`;
}

const MIB = 1024 * 1024;
function stepLabel(s, i) {
    const keyword = /^\S+/.exec(s.instruction)?.[0] ?? 'step';
    if (s.fromBase)
        return mermaidLabel(`base ${i + 1}`);
    return mermaidLabel(s.line !== undefined ? `L${s.line} ${keyword}` : `${i + 1} ${keyword}`);
}
const round = (bytes) => Number((bytes / MIB).toFixed(2));
function renderLayerChart(report, steps, maxBars = 15) {
    let bars;
    if (steps) {
        bars = steps.map((s, i) => ({
            label: stepLabel({ instruction: s.instruction, line: s.headLine ?? s.baseLine, fromBase: s.fromBase }, i),
            head: s.headSize,
            base: s.baseSize,
            order: i
        }));
    }
    else {
        bars = report.layers.map((l, i) => ({
            label: stepLabel({ instruction: l.step?.instruction ?? l.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, ''), line: l.step?.line, fromBase: l.fromBase }, i),
            head: l.size,
            order: i
        }));
    }
    // Keep the biggest bars, shown in Dockerfile order.
    bars = [...bars]
        .sort((a, b) => Math.max(b.head, b.base ?? 0) - Math.max(a.head, a.base ?? 0))
        .slice(0, maxBars)
        .sort((a, b) => a.order - b.order);
    if (bars.length === 0)
        return '';
    const title = steps ? 'Layer size per step (MiB): bars = PR, line = base' : 'Layer size per step (MiB)';
    const lines = [
        '```mermaid',
        'xychart-beta',
        `    title "${title}"`,
        `    x-axis [${bars.map((b) => b.label).join(', ')}]`,
        '    y-axis "MiB"',
        `    bar [${bars.map((b) => round(b.head)).join(', ')}]`
    ];
    if (steps)
        lines.push(`    line [${bars.map((b) => round(b.base ?? 0)).join(', ')}]`);
    lines.push('```');
    return lines.join('\n');
}

/** The job summary upload limit is 1 MiB per step. */
const SUMMARY_LIMIT = 1024 * 1024 - 4096;
const FULL = { steps: 100, findings: 1000, layers: 500, chart: true, details: true };
const sign = (n) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0');
const pct = (ratio) => `${(ratio * 100).toFixed(1)} %`;
function formatValue(m, v) {
    if (v === undefined)
        return '–';
    if (m.unit === 'bytes')
        return formatBinaryBytes(v);
    if (m.unit === 'ratio')
        return pct(v);
    return String(v);
}
function formatDelta(m) {
    if (m.delta === undefined || m.base === undefined)
        return '–';
    if (m.unit === 'bytes')
        return m.delta === 0 ? '±0 B' : `${formatBytesDelta(m.delta)} (${formatPercentDelta(m.delta, m.base)})`;
    if (m.unit === 'ratio') {
        const points = m.delta * 100;
        return Math.abs(points) < 0.05 ? '±0 pts' : `${points > 0 ? '+' : '-'}${Math.abs(points).toFixed(1)} pts`;
    }
    return sign(m.delta);
}
function verdictLine(report) {
    const v = report.verdict;
    if (!v)
        return '**Verdict:** not evaluated';
    const evaluated = v.checks.filter((c) => !c.skipped);
    if (v.passed)
        return `**✅ Passed** — ${evaluated.length} threshold${evaluated.length === 1 ? '' : 's'} met.`;
    const failed = v.checks.filter((c) => !c.passed).map((c) => `\`${c.name}\` (${escapeMarkdown(c.actual)}, limit ${escapeMarkdown(c.limit)})`);
    return `**❌ Failed** — ${failed.join(', ')}`;
}
function metricsTable(report, diff) {
    if (!report.image)
        return '_No image was analysed (lint only)._';
    if (!diff) {
        const rows = reportMetrics(report).filter((m) => m.head !== undefined);
        return ['| Metric | PR |', '| --- | ---: |', ...rows.map((m) => `| ${m.label} | ${formatValue(m, m.head)} |`)].join('\n');
    }
    const rows = diff.metrics.filter((m) => m.head !== undefined || m.base !== undefined);
    const baseHeader = diff.baseLabel ? `Base (${escapeMarkdown(shorten(diff.baseLabel, 40))})` : 'Base';
    return [
        `| Metric | ${baseHeader} | PR | Δ |`,
        '| --- | ---: | ---: | ---: |',
        ...rows.map((m) => `| ${m.label} | ${formatValue(m, m.base)} | ${formatValue(m, m.head)} | ${formatDelta(m)} |`)
    ].join('\n');
}
const stepLine = (s) => {
    if (s.baseLine !== undefined && s.headLine !== undefined && s.baseLine !== s.headLine)
        return `${s.baseLine} → ${s.headLine}`;
    return String(s.headLine ?? s.baseLine ?? '–');
};
function stepsTable(steps, max, cut) {
    const changed = steps
        .filter((s) => s.status !== 'unchanged')
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.instruction.localeCompare(b.instruction));
    if (changed.length === 0)
        return '_No step changed its layers._';
    const shown = changed.slice(0, max);
    const rows = shown.map((s) => {
        const what = s.baseInstruction ? `${code$1(s.instruction, 80)}<br>was ${code$1(s.baseInstruction, 80)}` : code$1(s.instruction, 80);
        const status = s.status === 'added' ? ' 🆕' : s.status === 'removed' ? ' 🗑️' : '';
        const base = s.baseLayers.length ? formatBinaryBytes(s.baseSize) : '–';
        const head = s.headLayers.length ? formatBinaryBytes(s.headSize) : '–';
        return `| ${what}${status} | ${stepLine(s)} | ${base} | ${head} | ${formatBytesDelta(s.delta)} |`;
    });
    if (changed.length > shown.length && cut)
        cut.any = true;
    const more = changed.length > shown.length ? `\n\n_…and ${changed.length - shown.length} more changed steps._` : '';
    return ['| Step | Line | Base | PR | Δ |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join('\n') + more;
}
function where(f) {
    const parts = [];
    if (f.file)
        parts.push(code$1(`${f.file}${f.line !== undefined ? `:${f.line}` : ''}`, 80));
    if (f.path)
        parts.push(code$1(`/${f.path}`, 80));
    if (f.layer !== undefined)
        parts.push(`layer ${f.layer}`);
    return parts.join(' ') || '–';
}
const SEVERITY_ICON = { error: '🔴', warning: '🟠', info: '🔵' };
function findingsTable(findings, max, cut) {
    const order = { error: 0, warning: 1, info: 2 };
    const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity] || a.rule.localeCompare(b.rule));
    const shown = sorted.slice(0, max);
    const rows = shown.map((f) => {
        // A secret finding shows its masked form only, never the message or details (defence in depth).
        const text = f.category === 'secret' ? `secret ${code$1(f.masked ?? '…', 40)}` : escapeMarkdown(shorten(f.message, 200));
        const suppressed = f.suppressed ? ' _(suppressed)_' : '';
        return `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${code$1(f.rule, 40)} | ${where(f)} | ${text}${suppressed} |`;
    });
    if (sorted.length > shown.length && cut)
        cut.any = true;
    const more = sorted.length > shown.length ? `\n\n_…and ${sorted.length - shown.length} more._` : '';
    return ['| Severity | Rule | Where | Finding |', '| --- | --- | --- | --- |', ...rows].join('\n') + more;
}
function thresholdsTable(checks) {
    if (checks.length === 0)
        return '_No thresholds configured._';
    return [
        '| Threshold | Limit | Measured | Result |',
        '| --- | ---: | ---: | --- |',
        ...checks.map((c) => {
            const result = c.skipped ? `⏭️ not evaluated (${escapeMarkdown(c.skipped)})` : c.passed ? '✅ pass' : '❌ fail';
            return `| \`${c.name}\` | ${escapeMarkdown(c.limit)} | ${escapeMarkdown(c.actual)} | ${result} |`;
        })
    ].join('\n');
}
function layersTable(report, max, cut) {
    const shown = report.layers.slice(0, max);
    const rows = shown.map((l) => {
        const text = l.step ? l.step.instruction : normaliseCreatedBy(l.createdBy);
        const step = text ? code$1(text, 80) : '_(no history)_';
        const line = l.step?.line ?? '–';
        const wasted = l.wastedBytes ? formatBytes(l.wastedBytes) : '–';
        return `| ${l.index}${l.fromBase ? ' (base)' : ''} | ${step} | ${line} | ${formatBinaryBytes(l.size)} | ${formatBinaryBytes(l.compressedSize)} | ${wasted} |`;
    });
    if (report.layers.length > shown.length && cut)
        cut.any = true;
    const more = report.layers.length > shown.length ? `\n\n_…and ${report.layers.length - shown.length} more layers._` : '';
    return ['| # | Step | Line | Size | Compressed | Wasted |', '| ---: | --- | ---: | ---: | ---: | ---: |', ...rows].join('\n') + more;
}
const details = (summary, body, open = false) => `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
function wastedFilesTable(report, max) {
    const files = [...(report.wastedFiles ?? [])].sort((a, b) => b.bytes - a.bytes).slice(0, max);
    if (files.length === 0)
        return '';
    return [
        '| Path | Bytes | Added in layer | Hidden in layer | How |',
        '| --- | ---: | ---: | ---: | --- |',
        ...files.map((w) => `| ${code$1(`/${w.path}`, 100)} | ${formatBytes(w.bytes)} | ${w.addedInLayer} | ${w.hiddenInLayer} | ${w.how} |`)
    ].join('\n');
}
function renderBody(report, diff, opts, limits) {
    const parts = [];
    const heading = opts.title ? `### 🐳 image-audit: ${escapeMarkdown(shorten(opts.title, 120))}` : '### 🐳 image-audit';
    parts.push(heading, verdictLine(report));
    if (!diff && report.image)
        parts.push('_No baseline: showing this build only._');
    parts.push(metricsTable(report, diff));
    if (diff) {
        parts.push('#### Steps whose layers changed most', stepsTable(diff.steps, limits.steps, limits.cut));
        const newFindings = diff.newFindings.filter((f) => !f.suppressed);
        parts.push(`#### New findings in this PR (${newFindings.length})`);
        parts.push(newFindings.length ? findingsTable(newFindings, limits.findings, limits.cut) : '_None._ 🎉');
        if (limits.details && diff.existingFindings.length) {
            parts.push(details(`Already on base (${diff.existingFindings.length})`, findingsTable(diff.existingFindings, limits.findings, limits.cut)));
        }
        if (limits.details && diff.fixedFindings.length) {
            parts.push(details(`Fixed in this PR (${diff.fixedFindings.length})`, findingsTable(diff.fixedFindings, limits.findings, limits.cut)));
        }
    }
    else {
        const active = report.findings.filter((f) => !f.suppressed);
        parts.push(`#### Findings (${active.length})`);
        parts.push(active.length ? findingsTable(active, limits.findings, limits.cut) : '_None._ 🎉');
    }
    if (limits.details && report.verdict)
        parts.push(details('Thresholds', thresholdsTable(report.verdict.checks)));
    if (limits.chart && report.layers.length) {
        const chart = renderLayerChart(report, diff?.steps);
        if (chart)
            parts.push(details(diff ? 'Layer sizes, base vs PR' : 'Layer sizes', chart));
    }
    if (limits.layers > 0 && report.layers.length)
        parts.push(details(`Layers (${report.layers.length})`, layersTable(report, limits.layers, limits.cut)));
    if (limits.details) {
        const wasted = wastedFilesTable(report, Math.min(limits.findings, 50));
        if (wasted)
            parts.push(details('Largest wasted files', wasted));
    }
    return parts.join('\n\n');
}
/** The job summary: the full report. */
function renderSummary(report, diff, opts = {}) {
    const body = renderBody(report, diff, opts, FULL);
    if (body.length <= SUMMARY_LIMIT)
        return body + '\n';
    const smaller = renderBody(report, diff, opts, { ...FULL, findings: 200, layers: 100, steps: 50 });
    if (smaller.length <= SUMMARY_LIMIT)
        return smaller + '\n_Lists cut to fit the 1 MiB summary limit; the JSON report has everything._\n';
    return smaller.slice(0, SUMMARY_LIMIT - 200) + '\n\n_…cut to fit the 1 MiB summary limit; the JSON report has everything._\n';
}

// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif). One rule entry per rule id used,
// results pointing at the Dockerfile (lint findings at their own range; image and secret findings at the step's
// line when known). Secret findings carry only their masked form, never a value.
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/image-audit/image-audit';
const LEVEL = { error: 'error', warning: 'warning', info: 'note' };
// GitHub ranks security alerts by `security-severity` (0–10) on the rule.
const SECURITY_SEVERITY = { error: '8.0', warning: '5.0', info: '2.0' };
/** Repository-relative, `/`-separated URI for a file path as findings carry it. */
function artifactUri(file, root) {
    const rel = path.isAbsolute(file) ? path.relative(root, file) : path.normalize(file);
    return rel.split(path.sep).join('/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}
function ruleDescriptor(id, meta) {
    if (!meta) {
        return { id, name: id, shortDescription: { text: id }, properties: { tags: [] } };
    }
    const security = meta.category === 'secret' || meta.tags.includes('security');
    return {
        id,
        name: id.replace(/(^|-)([a-z])/g, (_m, _d, c) => c.toUpperCase()),
        shortDescription: { text: meta.shortDescription },
        fullDescription: { text: meta.fullDescription },
        help: { text: meta.help.replace(/```[a-z]*\n?/g, ''), markdown: meta.help },
        helpUri: `${INFORMATION_URI}#${id}`,
        defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
        properties: {
            tags: [...new Set([meta.category, ...meta.tags])],
            ...(security ? { 'security-severity': SECURITY_SEVERITY[meta.defaultSeverity] } : {})
        }
    };
}
function region(f) {
    const startLine = f.line && f.line > 0 ? f.line : 1;
    const r = { startLine };
    if (f.column && f.column > 0)
        r.startColumn = f.column;
    if (f.endLine && f.endLine >= startLine)
        r.endLine = f.endLine;
    if (f.endColumn && f.endColumn > 0 && (f.endLine === undefined || f.endLine > startLine || !f.column || f.endColumn > f.column))
        r.endColumn = f.endColumn;
    return r;
}
function locationsOf(f, report, root) {
    const file = f.file ?? report.source?.dockerfile;
    if (file) {
        // Image and secret findings have no range of their own: the whole line of the step, or the file's first line.
        const own = f.file !== undefined;
        return [
            {
                physicalLocation: {
                    artifactLocation: { uri: artifactUri(file, root), uriBaseId: '%SRCROOT%' },
                    region: own ? region(f) : { startLine: f.line && f.line > 0 ? f.line : 1 }
                },
                ...(f.path ? { logicalLocations: [{ name: f.path, fullyQualifiedName: `image:/${f.path}`, kind: 'resource' }] } : {})
            }
        ];
    }
    const name = f.path ?? (f.layer !== undefined ? `layer ${f.layer}` : report.image?.ref ?? 'image');
    return [{ logicalLocations: [{ name, fullyQualifiedName: f.path ? `image:/${f.path}` : name, kind: 'resource' }] }];
}
function messageOf(f) {
    // The masked form is already safe; mention it when the message does not.
    return f.masked && !f.message.includes(f.masked) ? `${f.message} (${f.masked})` : f.message;
}
/** SARIF 2.1.0 JSON text for the report's findings. */
function renderSarif(report, opts = {}) {
    const root = opts.root ?? process.cwd();
    const metas = new Map();
    for (const m of [...lintRules, ...stageRuleMetas, ...(opts.extraRules ?? [])])
        metas.set(m.id, m);
    const ruleIndex = new Map();
    const rules = [];
    for (const f of report.findings) {
        if (ruleIndex.has(f.rule))
            continue;
        ruleIndex.set(f.rule, rules.length);
        rules.push(ruleDescriptor(f.rule, metas.get(f.rule)));
    }
    const results = report.findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: ruleIndex.get(f.rule),
        level: LEVEL[f.severity],
        kind: 'fail',
        message: { text: messageOf(f) },
        locations: locationsOf(f, report, root),
        partialFingerprints: { 'imageAuditFingerprint/v1': f.fingerprint },
        ...(f.suppressed
            ? { suppressions: [{ kind: f.suppressed.by === 'inline' ? 'inSource' : 'external', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }] }
            : {}),
        properties: {
            category: f.category,
            ...(f.layer !== undefined ? { layer: f.layer } : {}),
            ...(f.path !== undefined ? { path: f.path } : {}),
            ...(f.bytes !== undefined ? { bytes: f.bytes } : {}),
            ...(f.masked !== undefined ? { masked: f.masked } : {})
        }
    }));
    const sarif = {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: report.tool.name,
                        version: report.tool.version,
                        semanticVersion: report.tool.version,
                        informationUri: INFORMATION_URI,
                        rules
                    }
                },
                originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(root) } },
                invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
                results
            }
        ]
    };
    return JSON.stringify(sarif, null, 2) + '\n';
}
function pathToFileUri(dir) {
    const abs = path.resolve(dir).split(path.sep).join('/');
    return `file://${abs.startsWith('/') ? '' : '/'}${abs.split('/').map(encodeURIComponent).join('/')}/`;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
function pad(s, n) {
    return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function clip(s, n) {
    const one = s.replace(/\s+/g, ' ').trim();
    return one.length > n ? one.slice(0, n - 1) + '…' : one;
}
function renderText(report) {
    const out = [];
    const img = report.image;
    if (img) {
        out.push(`image-audit ${report.tool.version} — ${img.ref ?? img.id}`);
        out.push('');
        out.push(`  size             ${formatBytes(img.size)} (${img.size} bytes)`);
        out.push(`  compressed size  ${formatBytes(img.compressedSize)} (estimated pull size)`);
        out.push(`  layers           ${img.layers}${img.baseLayers ? ` (${img.baseLayers} from the base image)` : ''}`);
        out.push(`  wasted           ${formatBytes(img.wastedBytes)}${img.wastedBytes ? ` (yours: ${formatBytes(img.userWastedBytes)}, base: ${formatBytes(img.baseWastedBytes)})` : ''}`);
        out.push(`  efficiency       ${(img.efficiency * 100).toFixed(1)} %`);
        if (img.packages !== undefined)
            out.push(`  OS packages      ${img.packages}`);
        if (img.executables !== undefined)
            out.push(`  executables      ${img.executables}`);
        out.push('');
        out.push('Layers (bottom first):');
        for (const l of report.layers) {
            const where = l.step?.line ? `line ${l.step.line}` : l.fromBase ? 'base' : '';
            const what = l.step?.instruction ?? l.createdBy ?? '';
            const residue = l.residue && Object.keys(l.residue).length
                ? `  [of which ${Object.entries(l.residue).map(([k, v]) => `${formatBytes(v)} ${k}`).join(', ')}]`
                : '';
            out.push(`  ${pad(String(l.index), 3)} ${pad(formatBytes(l.size), 10)} ${pad(where, 9)} ${clip(what, 80)}${residue}`);
        }
        if (report.wastedFiles?.length) {
            out.push('');
            out.push('Largest wasted files:');
            for (const w of report.wastedFiles.slice(0, 10)) {
                out.push(`  ${pad(formatBytes(w.bytes), 10)} /${w.path} (added in layer ${w.addedInLayer}, ${w.how} in layer ${w.hiddenInLayer})`);
            }
        }
        const dirs = (report.largestDirectories ?? []).filter((d) => d.bytes > 0);
        if (dirs.length) {
            out.push('');
            out.push('Largest directories:');
            for (const d of dirs)
                out.push(`  ${pad(formatBytes(d.bytes), 10)} /${d.path}`);
        }
    }
    else if (report.source?.dockerfile) {
        out.push(`image-audit ${report.tool.version} — lint ${report.source.dockerfile}`);
    }
    out.push('');
    const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    out.push(findings.length ? `Findings (${findings.length}):` : 'No findings.');
    for (const f of findings)
        out.push('  ' + findingLine(f));
    if (report.verdict) {
        out.push('');
        out.push(`Verdict: ${report.verdict.passed ? 'PASS' : 'FAIL'} — ${report.verdict.summary}`);
        for (const c of report.verdict.checks.filter((c) => !c.passed))
            out.push(`  ✗ ${c.name}: ${c.actual} (limit ${c.limit})`);
    }
    return out.join('\n') + '\n';
}
function findingLine(f) {
    const loc = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : f.path ? `/${f.path}` : f.layer !== undefined ? `layer ${f.layer}` : '';
    const sup = f.suppressed ? ` (suppressed${f.suppressed.reason ? `: ${f.suppressed.reason}` : ''})` : '';
    return `${pad(f.severity, 7)} ${pad(f.rule, 26)} ${loc ? loc + ' ' : ''}${f.message}${sup}`;
}

// Reads a saved JSON report (a baseline) and checks it is one, so a wrong file fails with a clear message
// instead of producing a nonsense diff.
function parseReport(text, source) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (e) {
        throw new UserError(`${source} is not valid JSON (${e.message}).`, 'Give a report written by image-audit (the report output or --output FILE).');
    }
    const r = data;
    const problems = [];
    if (!r || typeof r !== 'object')
        problems.push('it is not an object');
    else {
        if (r.schemaVersion !== 1)
            problems.push(`schemaVersion is ${JSON.stringify(r.schemaVersion)}, expected 1`);
        if (!Array.isArray(r.layers))
            problems.push('layers is missing');
        if (!Array.isArray(r.findings))
            problems.push('findings is missing');
        if (r.image !== undefined && (typeof r.image.size !== 'number' || typeof r.image.layers !== 'number'))
            problems.push('image.size/image.layers are missing');
    }
    if (problems.length) {
        throw new UserError(`${source} is not an image-audit report: ${problems.join('; ')}.`, 'Give a report written by image-audit (the report output or --output FILE) by the same major version.');
    }
    return r;
}
async function readReportFile(file) {
    let text;
    try {
        text = await readFile(file, 'utf8');
    }
    catch {
        throw new UserError(`The baseline report ${file} cannot be read.`, 'Check the path (relative to the working directory), or restore it first (e.g. with actions/cache).');
    }
    return parseReport(text, `The baseline report ${file}`);
}

// argv → a typed command. Pure: no I/O, so every usage error is unit-tested.
// Threshold flags are the config file's threshold keys (one list, one parser: config/load.ts).
const THRESHOLD_FLAGS = THRESHOLD_NAMES;
const USAGE = `Usage:
  image-audit audit [--file F] [--context DIR] [--target T] [--build-arg K=V]… [--image REF]
                    [--format text|json|markdown|sarif] [--output FILE] [--sarif FILE] [--config FILE]
                    [--tag T]… [--platform P] [--builder B] [--no-cache] [--no-lint]
                    [--secret id=ID,env=VAR | --secret id=ID,src=FILE]… [--baseline-report FILE]
                    [--max-size 200MB] [--max-compressed-size S] [--max-layers N] [--max-size-increase 10%]
                    [--max-layers-increase N] [--max-wasted 5%] [--min-efficiency 0.9]
                    [--fail-on-secrets true|false] [--fail-on-lint error|warning|info|none]
  image-audit lint <Dockerfile> [--context DIR] [--target T] [--format text|json|sarif] [--config FILE]
  image-audit --help | --version

Exit codes: 0 passed, 1 a threshold failed, 2 bad input or the audit could not run.`;
const FORMATS = ['text', 'json', 'markdown', 'sarif'];
function format(value, allowed) {
    const f = (value ?? 'text').toLowerCase();
    if (!allowed.includes(f))
        throw new UserError(`--format ${value} is not supported.`, `Use one of: ${allowed.join(', ')}.`);
    return f;
}
function parseCommand(argv) {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help')
        return { command: 'help' };
    if (command === '--version' || command === '-v')
        return { command: 'version' };
    try {
        if (command === 'audit')
            return parseAudit(rest);
        if (command === 'lint')
            return parseLint(rest);
    }
    catch (e) {
        if (e instanceof UserError)
            throw e;
        // node:util parseArgs errors (unknown flag, missing value) are usage errors.
        throw new UserError(`${e.message.replace(/\. To specify.*$/s, '')}.`, USAGE);
    }
    throw new UserError(`Unknown command '${command}'.`, USAGE);
}
function parseAudit(argv) {
    const thresholdOptions = Object.fromEntries(THRESHOLD_FLAGS.map((t) => [t, { type: 'string' }]));
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
            file: { type: 'string', short: 'f' },
            context: { type: 'string', short: 'c' },
            target: { type: 'string' },
            'build-arg': { type: 'string', multiple: true },
            secret: { type: 'string', multiple: true },
            image: { type: 'string' },
            tag: { type: 'string', short: 't', multiple: true },
            platform: { type: 'string' },
            builder: { type: 'string' },
            'no-cache': { type: 'boolean' },
            'no-lint': { type: 'boolean' },
            format: { type: 'string' },
            output: { type: 'string', short: 'o' },
            sarif: { type: 'string' },
            config: { type: 'string' },
            'baseline-report': { type: 'string' },
            ...thresholdOptions
        }
    });
    if (positionals.length) {
        throw new UserError(`Unexpected argument '${positionals[0]}'.`, 'audit takes flags only, e.g. image-audit audit --file Dockerfile --context .');
    }
    const v = values;
    const thresholds = {};
    for (const t of THRESHOLD_FLAGS)
        if (typeof v[t] === 'string')
            thresholds[t] = v[t];
    return {
        command: 'audit',
        file: v.file,
        context: v.context,
        target: v.target,
        buildArgs: v['build-arg'] ?? [],
        secrets: v.secret ?? [],
        image: v.image,
        tags: v.tag ?? [],
        platform: v.platform,
        builder: v.builder,
        noCache: Boolean(v['no-cache']),
        noLint: Boolean(v['no-lint']),
        format: format(v.format, FORMATS),
        output: v.output,
        sarif: v.sarif,
        config: v.config,
        baselineReport: v['baseline-report'],
        thresholds
    };
}
function parseLint(argv) {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
            context: { type: 'string', short: 'c' },
            target: { type: 'string' },
            format: { type: 'string' },
            config: { type: 'string' },
            'fail-on': { type: 'string' },
            file: { type: 'string', short: 'f' }
        }
    });
    const dockerfile = positionals[0] ?? values.file;
    if (!dockerfile)
        throw new UserError('lint needs a Dockerfile.', 'Example: image-audit lint Dockerfile --context .');
    if (positionals.length > 1)
        throw new UserError(`Unexpected argument '${positionals[1]}'.`, 'lint takes one Dockerfile.');
    return {
        command: 'lint',
        dockerfile,
        context: values.context,
        target: values.target,
        format: format(values.format, ['text', 'json', 'sarif']),
        config: values.config,
        failOn: values['fail-on']
    };
}

// The CLI's behaviour, with its outputs injected so tests run it in-process as well as through the bundle.
/** Runs one CLI invocation; resolves with the exit code (0 pass, 1 threshold failed, 2 error). */
async function runCli(argv, io) {
    try {
        const cmd = parseCommand(argv);
        switch (cmd.command) {
            case 'help':
                io.stdout(USAGE + '\n');
                return 0;
            case 'version':
                io.stdout(TOOL_VERSION + '\n');
                return 0;
            case 'lint':
                return await lintCommand(cmd, io);
            case 'audit':
                return await auditCommand(cmd, io);
        }
    }
    catch (e) {
        io.stderr(`image-audit: ${describeError(e)}\n`);
        if (!isUserError(e) && io.env.IMAGE_AUDIT_DEBUG)
            io.stderr(String(e.stack) + '\n');
        return 2;
    }
}
async function readSecretFlag(spec, io) {
    const parts = Object.fromEntries(spec.split(',').map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).trim(), p.slice(i + 1)];
    }));
    const id = parts.id;
    if (!id || (!parts.env && !parts.src)) {
        throw new UserError(`--secret '${spec}' must be id=ID,env=VAR or id=ID,src=FILE.`, 'Secret values are read from the environment or a file, never from the command line.');
    }
    if (parts.env) {
        const value = io.env[parts.env];
        if (value === undefined)
            throw new UserError(`--secret ${id}: the environment variable ${parts.env} is not set.`);
        return { id, value };
    }
    try {
        return { id, value: await readFile(path.resolve(io.cwd, parts.src), 'utf8') };
    }
    catch {
        throw new UserError(`--secret ${id}: cannot read ${parts.src}.`);
    }
}
async function auditCommand(cmd, io) {
    const config = await loadConfig({ path: cmd.config, cwd: io.cwd });
    for (const [name, text] of Object.entries(cmd.thresholds))
        applyThresholdInput(config.thresholds, name, text, `--${name}`);
    let build;
    if (!cmd.image || cmd.file || cmd.context) {
        build = parseBuildInputs({
            context: cmd.context,
            file: cmd.file,
            target: cmd.target,
            'build-args': cmd.buildArgs.join('\n'),
            builder: cmd.builder,
            platform: cmd.platform,
            'no-cache': String(cmd.noCache),
            tags: cmd.tags.join('\n')
        });
        build.secrets = await Promise.all(cmd.secrets.map((s) => readSecretFlag(s, io)));
    }
    const baseline = cmd.baselineReport ? await readReportFile(path.resolve(io.cwd, cmd.baselineReport)) : undefined;
    const report = await runAudit({ build, image: cmd.image, config, cwd: io.cwd, skipLint: cmd.noLint }, io.runtime);
    const diff = baseline ? compareReports(baseline, report) : undefined;
    report.verdict = evaluateThresholds(report, diff, config.thresholds);
    await writeOutputs(report, cmd, io, diff);
    return report.verdict.passed ? 0 : 1;
}
async function lintCommand(cmd, io) {
    const config = await loadConfig({ path: cmd.config, cwd: io.cwd });
    if (cmd.failOn)
        applyThresholdInput(config.thresholds, 'fail-on-lint', cmd.failOn, '--fail-on');
    const report = await runLint({ dockerfile: cmd.dockerfile, context: cmd.context, target: cmd.target, config, cwd: io.cwd });
    report.verdict = evaluateThresholds(report, undefined, config.thresholds);
    io.stdout(render(report, cmd.format, undefined));
    return report.verdict.passed ? 0 : 1;
}
async function writeOutputs(report, cmd, io, diff) {
    if (cmd.output)
        await writeFile(path.resolve(io.cwd, cmd.output), JSON.stringify(report, null, 2) + '\n');
    if (cmd.sarif)
        await writeFile(path.resolve(io.cwd, cmd.sarif), renderSarif(report));
    io.stdout(render(report, cmd.format, diff));
}
function render(report, format, diff) {
    switch (format) {
        case 'json':
            return JSON.stringify(report, null, 2) + '\n';
        case 'markdown':
            return renderSummary(report, diff);
        case 'sarif':
            return renderSarif(report);
        default:
            return renderText(report);
    }
}

// `image-audit` bin entry: argv in, exit code out. Everything else lives in run.ts.
const code = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    runtime: nodeRuntime({ verbose: Boolean(process.env.IMAGE_AUDIT_DEBUG) })
});
process.exitCode = code;
