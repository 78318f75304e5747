/**
 * The single walk over one file's syntax: scope resolution and fact extraction.
 *
 * Package-level names are never bound (see scope.ts), so any identifier use with no local binding is
 * free: it goes to `refs`, or to `qualRefs` when it qualifies a selector and names an import.
 */
import type {
  DeclFact,
  FieldFact,
  FileFacts,
  SelectorRoot,
  Span,
  TypeExpr,
} from './facts.js';
import type { Extractor, ExtractorContext } from './extractor.js';
import { importNames, parseGoInt, unquoteGoString } from './go-text.js';
import type { LineMap } from './positions.js';
import { Scope } from './scope.js';
import { newElemType, shadowedBuiltins } from './recovery/builtins.js';
import { childByField, hasToken, namedParts, type GoNode } from './syntax.js';

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;

/** Node types that denote types; `visit` hands them to `typeExpr`. */
const TYPE_NODES = new Set([
  'type_identifier', 'qualified_type', 'generic_type', 'pointer_type', 'slice_type', 'array_type',
  'implicit_length_array_type', 'map_type', 'channel_type', 'function_type', 'interface_type',
  'struct_type', 'parenthesized_type', 'negated_type', 'type_elem', 'type_constraint',
]);

const unknown = (text: string): TypeExpr => ({ k: 'unknown', text });

/** Nodes that are identifiers to Go (predeclared names have their own node types in tree-sitter-go). */
function isIdent(n: GoNode): boolean {
  switch (n.type) {
    case 'identifier':
    case 'iota':
    case 'nil':
    case 'true':
    case 'false':
      return true;
    default:
      return false;
  }
}

/** Why a selector root of type `t` can't be used, or null if it can. */
function rootProblem(t: TypeExpr | undefined): 'unknown' | 'type-param-receiver' | null {
  let u = t;
  while (u?.k === 'ptr') u = u.elem;
  if (u === undefined) return 'unknown';
  switch (u.k) {
    case 'name':
    case 'qual':
    case 'struct':
    case 'iface':
      return null;
    case 'tparam':
      return 'type-param-receiver';
    default:
      return 'unknown';
  }
}

/** How the keys of a composite literal's body are read. */
type LitMode =
  | { m: 'named'; type: TypeExpr }
  | { m: 'struct' }
  | { m: 'map'; key: TypeExpr; value: TypeExpr }
  | { m: 'index'; elem: TypeExpr }
  | { m: 'unknown' };

export class FileWalker implements ExtractorContext {
  readonly facts: FileFacts;
  readonly source: string;
  private readonly lines: LineMap;
  private readonly scope = new Scope();
  /** File-scope import names → import path. */
  private readonly imports = new Map<string, string>();
  private uncertainImports = false;
  private cgo = false;
  /** recovery: `new`/`make` this file declares at package level (ordinary functions here). */
  private shadowed: Set<string> = new Set();
  private readonly hooks: Map<string, Extractor[]> | null;
  /** Whether an extractor wants comments or ERROR nodes (fired when their parent is entered). */
  private readonly childHooks: boolean;
  private readonly extractors: readonly Extractor[];

  constructor(source: string, lines: LineMap, facts: FileFacts, extractors: readonly Extractor[]) {
    this.source = source;
    this.lines = lines;
    this.facts = facts;
    this.extractors = extractors;
    if (extractors.length === 0) {
      this.hooks = null;
      this.childHooks = false;
    } else {
      this.hooks = new Map();
      for (const x of extractors) {
        for (const t of x.nodeTypes) {
          const list = this.hooks.get(t);
          if (list) list.push(x);
          else this.hooks.set(t, [x]);
        }
      }
      this.childHooks = this.hooks.has('comment') || this.hooks.has('ERROR');
    }
  }

  // ---------------------------------------------------------------- ExtractorContext

  text(n: GoNode): string {
    return this.source.slice(n.start, n.end);
  }

  span(n: GoNode): Span {
    return this.lines.span(n.start, n.end);
  }

  child(n: GoNode, field: string): GoNode | undefined {
    return childByField(n, field);
  }

  isLocal(name: string): boolean {
    return this.scope.has(name);
  }

  localType(name: string): TypeExpr | undefined {
    const b = this.scope.get(name);
    return b && (b.kind === 'var' || b.kind === 'const') ? b.type : undefined;
  }

  importPath(name: string): string | undefined {
    return this.scope.has(name) ? undefined : this.imports.get(name);
  }

  typeOf(n: GoNode): TypeExpr | undefined {
    return this.certainTypeOf(n);
  }

  skip(reason: string, n: GoNode): void {
    this.facts.skips.push({ reason, span: this.span(n) });
  }

  // ---------------------------------------------------------------- entry

  run(root: GoNode): void {
    this.prepass(root);
    for (const x of this.extractors) this.guard(root, () => x.begin?.(this));
    this.enter(root);
    for (const c of root.children) {
      if (!c.named || c.type === 'comment' || c.type === 'ERROR') continue;
      try {
        this.visitTop(c);
      } catch (e) {
        // Stack overflow on absurdly deep nesting, or a walker bug: keep the other declarations.
        this.scope.reset();
        this.skip(e instanceof RangeError ? 'too-deep' : 'internal-error', c);
      }
    }
    for (const x of this.extractors) this.guard(root, () => x.finish?.(this));
  }

  /** Package name, generated marker and imports: needed before any declaration is walked. */
  private prepass(root: GoNode): void {
    this.shadowed = shadowedBuiltins(root, (n) => this.text(n)); // recovery: see recovery/builtins.ts
    let beforePackage = true;
    for (const c of root.children) {
      switch (c.type) {
        case 'comment':
          if (beforePackage && GENERATED.test(this.text(c).replace(/\r$/, ''))) this.facts.generated = true;
          break;
        case 'package_clause': {
          beforePackage = false;
          const id = namedParts(c)[0];
          if (id) this.facts.pkgName = this.text(id);
          break;
        }
        case 'import_declaration':
          for (const p of namedParts(c)) {
            if (p.type === 'import_spec') this.importSpec(p);
            else if (p.type === 'import_spec_list') {
              for (const s of namedParts(p)) if (s.type === 'import_spec') this.importSpec(s);
            }
          }
          break;
        default:
          if (c.named) beforePackage = false;
      }
    }
  }

  private importSpec(n: GoNode): void {
    const pathNode = childByField(n, 'path');
    if (!pathNode || pathNode.missing) return;
    const path = unquoteGoString(this.text(pathNode));
    const nameNode = childByField(n, 'name');
    const alias = nameNode ? this.text(nameNode) : null;
    const kind = alias === '.' ? 'dot' : alias === '_' ? 'blank' : 'normal';
    this.facts.imports.push({ path, alias, kind, span: this.span(n) });
    if (kind !== 'normal') return;
    if (alias !== null) {
      this.imports.set(alias, path);
    } else if (path === 'C') {
      this.cgo = true;
    } else {
      const { names, certain } = importNames(path);
      if (!certain) this.uncertainImports = true;
      // An explicit alias or a more likely name of another import wins.
      for (const name of names) if (!this.imports.has(name)) this.imports.set(name, path);
    }
  }

  // ---------------------------------------------------------------- extractor dispatch

  /** Marks `n` as visited: runs the extractors that want it and the comments/ERRORs directly under it. */
  private enter(n: GoNode): void {
    if (this.hooks === null) return;
    this.fire(n);
    if (!this.childHooks) return;
    for (const c of n.children) if (c.type === 'comment' || c.type === 'ERROR') this.fire(c);
  }

  private fire(n: GoNode): void {
    if (n.missing) return;
    const hs = this.hooks!.get(n.type);
    if (hs === undefined) return;
    for (const x of hs) {
      // guard() inlined: no closure per visit.
      try {
        x.visit(n, this);
      } catch {
        this.skip('extractor-failed', n);
      }
    }
  }

  /** Failures stay local: an extractor exception becomes a SkipFact and the walk goes on. */
  private guard(n: GoNode, f: () => void): void {
    try {
      f();
    } catch {
      this.skip('extractor-failed', n);
    }
  }

  // ---------------------------------------------------------------- facts helpers

  private ref(name: string, n: GoNode): void {
    this.facts.refs.push({ name, span: this.span(n) });
  }

  /** An identifier (or true/false/nil/iota) in a use position. */
  private use(n: GoNode): void {
    if (n.missing) return;
    const name = this.text(n);
    if (name === '_' || name === '' || this.scope.has(name)) return;
    this.ref(name, n);
  }

  // ---------------------------------------------------------------- top level

  private visitTop(n: GoNode): void {
    switch (n.type) {
      case 'function_declaration':
        return this.funcDecl(n);
      case 'method_declaration':
        return this.methodDecl(n);
      case 'type_declaration':
        return this.typeDecl(n, true);
      case 'var_declaration':
        return this.valueDecl(n, true, 'var');
      case 'const_declaration':
        return this.valueDecl(n, true, 'const');
      default:
        return this.visit(n); // package clause, imports, stray statements after errors
    }
  }

  private funcDecl(n: GoNode): void {
    this.enter(n);
    const nameNode = childByField(n, 'name');
    const tpNode = childByField(n, 'type_parameters');
    let decl: DeclFact | undefined;
    if (nameNode && !nameNode.missing) {
      this.enter(nameNode);
      const name = this.text(nameNode);
      // `init` may be declared many times and can't be referred to; `_` declares nothing.
      if (name !== 'init' && name !== '_') {
        decl = { name, kind: 'func', span: this.span(nameNode) };
        this.facts.decls.push(decl);
      }
    }
    this.scope.push();
    if (tpNode) {
      const tps = this.typeParams(tpNode);
      if (decl && tps.length > 0) decl.typeParams = tps;
    }
    this.signatureAndBody(n);
    this.scope.pop();
  }

  /** Parameters and results of a function/method/literal, then its body, in the current scope. */
  private signatureAndBody(n: GoNode): void {
    const params = childByField(n, 'parameters');
    const result = childByField(n, 'result');
    const body = childByField(n, 'body');
    const binders: Array<[GoNode, TypeExpr]> = [];
    if (params) this.paramList(params, binders);
    if (result) {
      if (result.type === 'parameter_list') this.paramList(result, binders);
      else this.typeExpr(result);
    }
    for (const [id, t] of binders) this.scope.bind(this.text(id), 'var', t);
    if (body) this.block(body, false);
  }

  /**
   * Visits a parameter list's types; collects (name, type) pairs when `binders` is given.
   *
   * tree-sitter-go misparses long lists such as `(trap, a1, ..., a9 uintptr)`: the first names come out
   * as type-only parameters. Go forbids mixing named and unnamed parameters, so when some parameter
   * has a name, a type-only parameter that is a bare identifier is a name sharing the next group's type.
   */
  private paramList(list: GoNode, binders: Array<[GoNode, TypeExpr]> | null): void {
    this.enter(list);
    const pds = namedParts(list);
    const isDecl = (pd: GoNode): boolean =>
      pd.type === 'parameter_declaration' || pd.type === 'variadic_parameter_declaration';
    const anyNamed = pds.some((pd) => isDecl(pd) && pd.children.some((c) => c.field === 'name'));
    let pending: GoNode[] = [];
    for (const pd of pds) {
      if (!isDecl(pd)) {
        this.visit(pd);
        continue;
      }
      this.enter(pd);
      const typeNode = childByField(pd, 'type');
      const names = pd.children.filter((c) => c.field === 'name' && !c.missing);
      if (anyNamed && names.length === 0 && typeNode?.type === 'type_identifier' && pd.type === 'parameter_declaration') {
        this.enter(typeNode);
        pending.push(typeNode);
        continue;
      }
      let t: TypeExpr = typeNode ? this.typeExpr(typeNode) : unknown('');
      if (pd.type === 'variadic_parameter_declaration') t = { k: 'slice', elem: t };
      for (const p of pending) if (binders) binders.push([p, t]);
      pending = [];
      for (const c of names) {
        this.enter(c);
        if (binders) binders.push([c, t]);
      }
    }
    // Not followed by a named group after all: they were types (invalid Go).
    for (const p of pending) p.ty = this.typeName(p);
  }

  /** Binds type parameter names (all first: constraints may mention any of them), then walks constraints. */
  private typeParams(list: GoNode): string[] {
    this.enter(list);
    const names: string[] = [];
    const decls = namedParts(list);
    for (const d of decls) {
      if (d.type !== 'type_parameter_declaration') continue;
      this.enter(d);
      for (const c of d.children) {
        if (c.field !== 'name' || c.missing) continue;
        this.enter(c);
        const name = this.text(c);
        names.push(name);
        this.scope.bind(name, 'tparam');
      }
    }
    for (const d of decls) {
      if (d.type !== 'type_parameter_declaration') {
        this.visit(d);
        continue;
      }
      const t = childByField(d, 'type');
      if (t) this.typeExpr(t);
    }
    return names;
  }

  private methodDecl(n: GoNode): void {
    this.enter(n);
    this.scope.push();
    const recvList = childByField(n, 'receiver');
    const nameNode = childByField(n, 'name');
    let recv: { name: GoNode | undefined; type: TypeExpr } | undefined;
    let recvBase = '';
    let ptr = false;
    if (recvList) {
      this.enter(recvList);
      for (const pd of namedParts(recvList)) {
        if (pd.type !== 'parameter_declaration' || recv !== undefined) {
          this.visit(pd);
          continue;
        }
        this.enter(pd);
        const idNode = childByField(pd, 'name');
        if (idNode) this.enter(idNode);
        const typeNode = childByField(pd, 'type');
        let type: TypeExpr = unknown('');
        if (typeNode) {
          const r = this.receiverType(typeNode);
          recvBase = r.base;
          ptr = r.ptr;
          type = r.type;
        }
        recv = { name: idNode, type };
      }
    }
    if (nameNode) {
      this.enter(nameNode);
      this.facts.methods.push({ recv: recvBase, ptr, name: this.text(nameNode), span: this.span(nameNode) });
    }
    // recovery: a Go 1.27 generic method's own type parameters (grafted by recovery/gaps.ts), in
    // scope with the receiver's in the signature and body.
    const tpNode = childByField(n, 'type_parameters');
    if (tpNode) this.typeParams(tpNode);
    // The receiver is bound with the parameters (same scope: the function block).
    const binders: Array<[GoNode, TypeExpr]> = [];
    if (recv?.name) binders.push([recv.name, recv.type]);
    for (const [id, t] of binders) this.scope.bind(this.text(id), 'var', t);
    this.signatureAndBody(n);
    this.scope.pop();
  }

  /**
   * `T`, `*T`, `T[K, V]`, `*T[K, _]`, `(*T)`: the base type name is a reference; the type arguments
   * are type parameter binders of the method.
   */
  private receiverType(n: GoNode): { base: string; ptr: boolean; type: TypeExpr } {
    let ptr = false;
    let cur: GoNode | undefined = n;
    while (cur && (cur.type === 'parenthesized_type' || cur.type === 'pointer_type')) {
      this.enter(cur);
      if (cur.type === 'pointer_type') ptr = true;
      cur = namedParts(cur)[0];
    }
    if (!cur) return { base: '', ptr, type: unknown('') };
    let type: TypeExpr;
    if (cur.type === 'generic_type') {
      this.enter(cur);
      const baseNode = childByField(cur, 'type');
      const argsNode = childByField(cur, 'type_arguments');
      const base = baseNode ? this.typeExpr(baseNode) : unknown('');
      const args: TypeExpr[] = [];
      if (argsNode) {
        this.enter(argsNode);
        for (const te of namedParts(argsNode)) {
          this.enter(te);
          for (const id of namedParts(te)) {
            if (id.type === 'type_identifier') {
              this.enter(id);
              const name = this.text(id);
              this.scope.bind(name, 'tparam');
              args.push({ k: 'tparam', name });
            } else {
              args.push(this.typeExpr(id));
            }
          }
        }
      }
      type = base.k === 'name' ? { k: 'name', name: base.name, args } : base;
    } else {
      type = this.typeExpr(cur);
    }
    const base = type.k === 'name' || type.k === 'qual' ? type.name : this.text(cur);
    return { base, ptr, type: ptr ? { k: 'ptr', elem: type } : type };
  }

  private typeDecl(n: GoNode, top: boolean): void {
    this.enter(n);
    for (const spec of namedParts(n)) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') {
        this.visit(spec);
        continue;
      }
      this.enter(spec);
      const nameNode = childByField(spec, 'name');
      const tpNode = childByField(spec, 'type_parameters');
      const typeNode = childByField(spec, 'type');
      const name = nameNode ? this.text(nameNode) : '';
      if (nameNode) this.enter(nameNode);
      // A local type is in scope from its own name on (recursive types).
      const binding = !top && nameNode ? this.scope.bind(name, 'type') : undefined;
      if (tpNode) this.scope.push();
      const tps = tpNode ? this.typeParams(tpNode) : [];
      const t = typeNode ? this.typeExpr(typeNode) : unknown('');
      if (tpNode) this.scope.pop();
      if (binding) binding.def = t;
      if (top && nameNode && name !== '_' && name !== '') {
        this.facts.decls.push({
          name,
          kind: 'type',
          span: this.span(nameNode),
          type: t,
          ...(spec.type === 'type_alias' ? { alias: true } : {}),
          ...(tps.length > 0 ? { typeParams: tps } : {}),
        });
      }
    }
  }

  /** `var`/`const` declarations, package-level (decls) or local (bindings, after the values). */
  private valueDecl(n: GoNode, top: boolean, kind: 'var' | 'const'): void {
    this.enter(n);
    const specs: GoNode[] = [];
    for (const c of namedParts(n)) {
      if (c.type === 'var_spec' || c.type === 'const_spec') specs.push(c);
      else if (c.type === 'var_spec_list') {
        this.enter(c);
        for (const s of namedParts(c)) {
          if (s.type === 'var_spec') specs.push(s);
          else this.visit(s);
        }
      } else this.visit(c);
    }
    let groupType: TypeExpr | undefined; // const groups repeat the previous type
    for (const spec of specs) {
      this.enter(spec);
      const typeNode = childByField(spec, 'type');
      const valueNode = childByField(spec, 'value');
      let t = typeNode ? this.typeExpr(typeNode) : undefined;
      if (kind === 'const') {
        if (!typeNode && !valueNode) t = groupType;
        else groupType = t;
      }
      if (valueNode) this.visit(valueNode);
      const values = valueNode ? namedParts(valueNode) : [];
      const names = spec.children.filter((c) => c.field === 'name' && c.named && !c.missing);
      names.forEach((id, i) => {
        this.enter(id);
        const name = this.text(id);
        if (top) {
          if (name !== '_') {
            this.facts.decls.push({ name, kind, span: this.span(id), ...(t ? { type: t } : {}) });
          }
        } else {
          const vt = t ?? (values.length === names.length ? this.certainTypeOf(values[i]!) : undefined);
          this.scope.bind(name, kind, vt);
        }
      });
    }
  }

  // ---------------------------------------------------------------- statements & expressions

  private visitChildren(n: GoNode): void {
    for (const c of n.children) {
      if (c.named && c.type !== 'comment' && c.type !== 'ERROR') this.visit(c);
    }
  }

  private scoped(n: GoNode): void {
    this.enter(n);
    this.scope.push();
    this.visitChildren(n);
    this.scope.pop();
  }

  private visit(n: GoNode): void {
    if (!n.named || n.missing) return;
    switch (n.type) {
      case 'identifier':
      case 'true':
      case 'false':
      case 'nil':
      case 'iota':
        this.enter(n);
        return this.use(n);
      case 'comment':
      case 'ERROR':
        return; // fired by the parent's enter(); ERROR subtrees are not analysed
      case 'selector_expression':
        return this.selector(n);
      case 'composite_literal':
        return this.compositeLit(n);
      case 'func_literal':
        this.enter(n);
        this.scope.push();
        this.signatureAndBody(n);
        this.scope.pop();
        return;
      case 'binary_expression':
        return this.binary(n);
      case 'block':
        return this.block(n, true);
      case 'short_var_declaration':
        return this.shortVar(n);
      case 'var_declaration':
        return this.valueDecl(n, false, 'var');
      case 'const_declaration':
        return this.valueDecl(n, false, 'const');
      case 'type_declaration':
        return this.typeDecl(n, false);
      case 'if_statement':
      case 'for_statement':
      case 'expression_switch_statement':
      case 'expression_case':
      case 'default_case':
      case 'communication_case':
        return this.scoped(n);
      case 'range_clause':
        return this.rangeClause(n);
      case 'receive_statement':
        return this.receive(n);
      case 'type_switch_statement':
        return this.typeSwitch(n);
      case 'function_declaration': // only reachable after syntax errors
        return this.funcDecl(n);
      case 'method_declaration':
        return this.methodDecl(n);
      default:
        if (TYPE_NODES.has(n.type)) {
          this.typeExpr(n);
          return;
        }
        this.enter(n);
        this.visitChildren(n);
    }
  }

  private block(n: GoNode, newScope: boolean): void {
    this.enter(n);
    if (newScope) this.scope.push();
    this.visitChildren(n);
    if (newScope) this.scope.pop();
  }

  /** Left-deep `a + b + c + ...` chains iteratively (generated code has thousands of terms). */
  private binary(n: GoNode): void {
    const spine: GoNode[] = [];
    let cur: GoNode | undefined = n;
    while (cur && cur.type === 'binary_expression' && !cur.missing) {
      this.enter(cur);
      spine.push(cur);
      cur = childByField(cur, 'left');
    }
    if (cur) this.visit(cur);
    for (let i = spine.length - 1; i >= 0; i--) {
      for (const c of spine[i]!.children) {
        if (c.field !== 'left' && c.named && c.type !== 'comment' && c.type !== 'ERROR') this.visit(c);
      }
    }
  }

  /** `a, b := x, y`: the right side first, then only the names new to this scope are bound. */
  private shortVar(n: GoNode): void {
    this.enter(n);
    const left = childByField(n, 'left');
    const right = childByField(n, 'right');
    if (right) this.visit(right);
    if (left) this.bindLeft(left, right ? namedParts(right) : []);
  }

  private bindLeft(left: GoNode, rights: readonly GoNode[]): void {
    this.enter(left);
    const ids = namedParts(left);
    ids.forEach((id, i) => {
      if (!isIdent(id)) {
        this.visit(id);
        return;
      }
      this.enter(id);
      let t: TypeExpr | undefined;
      if (ids.length === rights.length) t = this.certainTypeOf(rights[i]!);
      else if (i === 0 && rights.length === 1) t = this.commaOkType(rights[0]!);
      this.scope.bind(this.text(id), 'var', t);
    });
  }

  /** First value of `v, ok := x.(T)` / `<-ch` / `m[k]`. */
  private commaOkType(e: GoNode): TypeExpr | undefined {
    let u = e;
    while (u.type === 'parenthesized_expression') {
      const p = namedParts(u);
      if (p.length !== 1) return undefined;
      u = p[0]!;
    }
    if (u.type === 'type_assertion_expression' || u.type === 'index_expression' || u.type === 'unary_expression') {
      return this.certainTypeOf(u);
    }
    return undefined;
  }

  private rangeClause(n: GoNode): void {
    this.enter(n);
    const left = childByField(n, 'left');
    const right = childByField(n, 'right');
    if (!left || !hasToken(n, ':=')) {
      if (left) this.visit(left);
      if (right) this.visit(right);
      return;
    }
    if (right) this.visit(right);
    this.enter(left);
    const rt = right ? this.certainTypeOf(right) : undefined;
    let elem: TypeExpr | undefined;
    let key: TypeExpr | undefined;
    let base = rt;
    if (base?.k === 'ptr' && base.elem.k === 'array') base = base.elem;
    if (base?.k === 'slice' || base?.k === 'array') elem = base.elem;
    else if (base?.k === 'map') {
      key = base.key;
      elem = base.value;
    } else if (base?.k === 'chan') key = base.elem;
    namedParts(left).forEach((id, i) => {
      if (!isIdent(id)) {
        this.visit(id);
        return;
      }
      this.enter(id);
      this.scope.bind(this.text(id), 'var', i === 0 ? key : elem);
    });
  }

  /** `case v := <-ch:` / `case v, ok = <-ch:` */
  private receive(n: GoNode): void {
    this.enter(n);
    const left = childByField(n, 'left');
    const right = childByField(n, 'right');
    if (left && hasToken(n, ':=')) {
      if (right) this.visit(right);
      this.bindLeft(left, right ? [right] : []);
      return;
    }
    if (left) this.visit(left);
    if (right) this.visit(right);
  }

  /** `switch v := x.(type) { case T: ... }`: v is bound in each clause, with T when it lists one type. */
  private typeSwitch(n: GoNode): void {
    this.enter(n);
    this.scope.push();
    const init = childByField(n, 'initializer');
    const value = childByField(n, 'value');
    const alias = childByField(n, 'alias');
    if (init) this.visit(init);
    if (value) this.visit(value);
    let aliasName: string | undefined;
    if (alias) {
      this.enter(alias);
      for (const id of namedParts(alias)) {
        this.enter(id);
        aliasName ??= this.text(id);
      }
    }
    const valueType = value ? this.certainTypeOf(value) : undefined;
    for (const clause of namedParts(n)) {
      if (clause.type !== 'type_case' && clause.type !== 'default_case') {
        if (clause !== init && clause !== value && clause !== alias) this.visit(clause);
        continue;
      }
      this.enter(clause);
      this.scope.push();
      const types: Array<[GoNode, TypeExpr]> = [];
      const rest: GoNode[] = [];
      for (const c of namedParts(clause)) {
        if (c.field === 'type') types.push([c, this.typeExpr(c)]);
        else rest.push(c);
      }
      if (aliasName !== undefined) {
        const single = types.length === 1 && !(types[0]![0].type === 'type_identifier' && this.text(types[0]![0]) === 'nil');
        this.scope.bind(aliasName, 'var', single ? types[0]![1] : valueType);
      }
      for (const c of rest) this.visit(c);
      this.scope.pop();
    }
    this.scope.pop();
  }

  // ---------------------------------------------------------------- selectors

  /**
   * `x.a.b`: one fact for the whole chain. Parentheses are transparent, and so are `*`/`&` on
   * intermediate values (selection auto-dereferences); `*`/`&` applied to the root itself are applied
   * to its type (`(*pp).f` with `pp **T` selects on `*T`). The root decides: local of known type,
   * import, free identifier, or an expression whose type is certain (T{}, &T{}, new(T), x.(T)).
   */
  private selector(n: GoNode): void {
    const fields: GoNode[] = [];
    /** Unary operators between the innermost selector and the root, outermost first. */
    let rootOps: string[] = [];
    let cur: GoNode = n;
    for (;;) {
      if (cur.type === 'selector_expression') {
        this.enter(cur);
        const op = childByField(cur, 'operand');
        const f = childByField(cur, 'field');
        if (f) {
          this.enter(f);
          fields.push(f);
        }
        if (!op) return;
        cur = op;
        rootOps = [];
        continue;
      }
      if (cur.type === 'parenthesized_expression' || cur.type === 'unary_expression') {
        const parts = namedParts(cur);
        const paren = cur.type === 'parenthesized_expression';
        const op = paren ? '' : hasToken(cur, '*') ? '*' : hasToken(cur, '&') ? '&' : '';
        if (parts.length === 1 && cur.children.length === (paren ? 1 : 2) && (paren || op !== '')) {
          this.enter(cur);
          if (op) rootOps.push(op);
          cur = parts[0]!;
          continue;
        }
      }
      break;
    }
    const applyOps = (t: TypeExpr | undefined): TypeExpr | undefined => {
      let u = t;
      for (let i = rootOps.length - 1; i >= 0 && u !== undefined; i--) {
        if (rootOps[i] === '&') u = { k: 'ptr', elem: u };
        else u = u.k === 'ptr' ? u.elem : undefined;
      }
      return u;
    };
    const root = cur;
    fields.reverse();
    const path = fields.map((f) => this.text(f));
    const spans = fields.map((f) => this.span(f));
    if (path.length === 0) return this.visit(root);

    if (isIdent(root)) {
      this.enter(root);
      if (root.missing) return;
      const name = this.text(root);
      if (name === '_') return;
      const b = this.scope.get(name);
      if (b !== undefined) {
        const t = b.kind === 'var' || b.kind === 'const' ? applyOps(b.type) : undefined;
        const problem = rootProblem(t);
        if (problem === null) this.facts.selectors.push({ root: { k: 'type', type: t! }, path, spans });
        else this.skip(problem === 'unknown' ? 'unknown-receiver-type' : problem, root);
        return;
      }
      if (this.cgo && name === 'C') return;
      const pkg = this.imports.get(name);
      if (pkg !== undefined) {
        const s0 = this.span(root);
        const s1 = spans[0]!;
        this.facts.qualRefs.push({ pkg, name: path[0]!, span: [s0[0], s0[1], s1[2], s1[3]] });
        if (path.length > 1) {
          this.facts.selectors.push({
            root: { k: 'qualGlobal', pkg, name: path[0]! },
            path: path.slice(1),
            spans: spans.slice(1),
          });
        }
        return;
      }
      if (this.uncertainImports) {
        this.skip('uncertain-import-name', root);
        return;
      }
      this.ref(name, root);
      this.facts.selectors.push({ root: { k: 'global', name }, path, spans });
      return;
    }

    this.visit(root);
    const t = applyOps(this.certainTypeOf(root));
    const problem = rootProblem(t);
    if (problem === null) {
      const r: SelectorRoot = { k: 'type', type: t! };
      this.facts.selectors.push({ root: r, path, spans });
    } else {
      this.skip(problem === 'unknown' ? 'unknown-operand-type' : problem, root);
    }
  }

  // ---------------------------------------------------------------- certain types

  /**
   * Type of an expression when the file alone tells it with certainty: locals of known type, T{}, &x,
   * *x, <-ch, x[i], new(T), make(T, ...), x.(T). Pure (no facts).
   */
  private certainTypeOf(n: GoNode): TypeExpr | undefined {
    switch (n.type) {
      case 'parenthesized_expression': {
        const p = namedParts(n);
        return p.length === 1 ? this.certainTypeOf(p[0]!) : undefined;
      }
      case 'identifier':
      case 'iota':
      case 'nil':
      case 'true':
      case 'false': {
        const b = this.scope.get(this.text(n));
        return b && (b.kind === 'var' || b.kind === 'const') ? b.type : undefined;
      }
      case 'composite_literal':
        return n.ty;
      case 'unary_expression': {
        const op = childByField(n, 'operand');
        if (!op) return undefined;
        const t = this.certainTypeOf(op);
        if (!t) return undefined;
        if (hasToken(n, '&')) return { k: 'ptr', elem: t };
        if (hasToken(n, '*')) return t.k === 'ptr' ? t.elem : undefined;
        if (hasToken(n, '<-')) return t.k === 'chan' ? t.elem : undefined;
        return undefined;
      }
      case 'call_expression': {
        const f = childByField(n, 'function');
        const args = childByField(n, 'arguments');
        if (!f || !args || f.type !== 'identifier') return undefined;
        const fn = this.text(f);
        if ((fn !== 'new' && fn !== 'make') || this.scope.has(fn) || this.shadowed.has(fn)) return undefined;
        const a = namedParts(args);
        if (a.length === 0 || (fn === 'new' && a.length !== 1)) return undefined;
        // recovery: new(expr) (Go 1.26) is a *T of the expression's type; see recovery/builtins.ts
        const t = fn === 'new' ? newElemType(a[0]!, (x) => this.exprAsType(x), (x) => this.certainTypeOf(x)) : this.exprAsType(a[0]!);
        if (!t || t.k === 'unknown') return undefined;
        return fn === 'new' ? { k: 'ptr', elem: t } : t;
      }
      case 'type_assertion_expression': {
        const t = childByField(n, 'type');
        return t?.ty;
      }
      case 'index_expression': {
        const op = childByField(n, 'operand');
        let t = op ? this.certainTypeOf(op) : undefined;
        if (t?.k === 'ptr' && t.elem.k === 'array') t = t.elem;
        if (t?.k === 'slice' || t?.k === 'array') return t.elem;
        if (t?.k === 'map') return t.value;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** A type written in expression syntax (`new(T)`, `new(pkg.T)`), or a type node already walked. Pure. */
  private exprAsType(n: GoNode): TypeExpr | undefined {
    if (n.ty) return n.ty;
    switch (n.type) {
      case 'identifier': {
        const name = this.text(n);
        const b = this.scope.get(name);
        if (!b) return { k: 'name', name };
        if (b.kind === 'tparam') return { k: 'tparam', name };
        return b.kind === 'type' ? unknown(name) : undefined;
      }
      case 'selector_expression': {
        const op = childByField(n, 'operand');
        const f = childByField(n, 'field');
        if (op?.type !== 'identifier' || !f) return undefined;
        const q = this.text(op);
        const pkg = this.scope.has(q) ? undefined : this.imports.get(q);
        return pkg === undefined ? undefined : { k: 'qual', pkg, name: this.text(f) };
      }
      case 'parenthesized_expression': {
        const p = namedParts(n);
        return p.length === 1 ? this.exprAsType(p[0]!) : undefined;
      }
      case 'unary_expression': {
        const op = childByField(n, 'operand');
        const t = op && hasToken(n, '*') ? this.exprAsType(op) : undefined;
        return t ? { k: 'ptr', elem: t } : undefined;
      }
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------- types

  /** Walks a type (recording its references) and returns it as a TypeExpr (cached on the node). */
  private typeExpr(n: GoNode): TypeExpr {
    if (n.missing) return unknown('');
    const t = this.typeExprUncached(n);
    n.ty = t;
    return t;
  }

  private typeExprUncached(n: GoNode): TypeExpr {
    switch (n.type) {
      case 'type_identifier': {
        this.enter(n);
        return this.typeName(n);
      }
      case 'qualified_type':
        return this.qualifiedType(n);
      case 'generic_type': {
        this.enter(n);
        const baseNode = childByField(n, 'type');
        const argsNode = childByField(n, 'type_arguments');
        const base = baseNode ? this.typeExpr(baseNode) : unknown('');
        const args: TypeExpr[] = [];
        if (argsNode) {
          this.enter(argsNode);
          for (const a of namedParts(argsNode)) args.push(this.typeExpr(a));
        }
        if (base.k === 'name' || base.k === 'qual') return { ...base, args };
        return unknown(this.text(n));
      }
      case 'pointer_type':
        return { k: 'ptr', elem: this.onlyType(n) };
      case 'slice_type':
        return { k: 'slice', elem: this.fieldType(n, 'element') };
      case 'array_type': {
        this.enter(n);
        const lenNode = childByField(n, 'length');
        let len: number | string = '';
        if (lenNode) {
          this.visit(lenNode);
          const text = this.text(lenNode);
          len = (lenNode.type === 'int_literal' ? parseGoInt(text) : undefined) ?? text;
        }
        const elemNode = childByField(n, 'element');
        return { k: 'array', len, elem: elemNode ? this.typeExpr(elemNode) : unknown('') };
      }
      case 'implicit_length_array_type':
        return { k: 'array', len: '...', elem: this.fieldType(n, 'element') };
      case 'map_type': {
        this.enter(n);
        const k = childByField(n, 'key');
        const v = childByField(n, 'value');
        return { k: 'map', key: k ? this.typeExpr(k) : unknown(''), value: v ? this.typeExpr(v) : unknown('') };
      }
      case 'channel_type':
        return { k: 'chan', elem: this.fieldType(n, 'value') };
      case 'function_type': {
        this.enter(n);
        const params = childByField(n, 'parameters');
        const result = childByField(n, 'result');
        if (params) this.paramList(params, null);
        if (result) {
          if (result.type === 'parameter_list') this.paramList(result, null);
          else this.typeExpr(result);
        }
        return { k: 'func' };
      }
      case 'interface_type':
        return this.interfaceType(n);
      case 'struct_type':
        return this.structType(n);
      case 'parenthesized_type':
        return this.onlyType(n);
      case 'type_elem':
      case 'type_constraint': {
        this.enter(n);
        const parts = namedParts(n);
        if (parts.length === 1) return this.typeExpr(parts[0]!);
        for (const p of parts) this.typeExpr(p);
        return unknown(this.text(n)); // a union
      }
      case 'negated_type': {
        this.onlyType(n);
        return unknown(this.text(n));
      }
      default:
        // An expression where a type was expected (grammar ambiguity or syntax errors).
        this.visit(n);
        return unknown(this.text(n));
    }
  }

  /** The single type inside `n` (pointer, parenthesized, negated). */
  private onlyType(n: GoNode): TypeExpr {
    this.enter(n);
    const parts = namedParts(n);
    for (let i = 1; i < parts.length; i++) this.visit(parts[i]!);
    return parts[0] ? this.typeExpr(parts[0]) : unknown('');
  }

  private fieldType(n: GoNode, field: string): TypeExpr {
    this.enter(n);
    let t: TypeExpr | undefined;
    for (const c of namedParts(n)) {
      if (c.field === field && t === undefined) t = this.typeExpr(c);
      else this.visit(c);
    }
    return t ?? unknown('');
  }

  private typeName(n: GoNode): TypeExpr {
    const name = this.text(n);
    const b = this.scope.get(name);
    if (b !== undefined) return b.kind === 'tparam' ? { k: 'tparam', name } : unknown(name);
    if (name === '_' || name === '') return unknown(name);
    this.ref(name, n);
    return { k: 'name', name };
  }

  private qualifiedType(n: GoNode): TypeExpr {
    this.enter(n);
    const pkgNode = childByField(n, 'package');
    const nameNode = childByField(n, 'name');
    if (pkgNode) this.enter(pkgNode);
    if (nameNode) this.enter(nameNode);
    const text = this.text(n);
    if (!pkgNode || !nameNode || pkgNode.missing || nameNode.missing) return unknown(text);
    const q = this.text(pkgNode);
    const name = this.text(nameNode);
    if (this.scope.has(q)) return unknown(text);
    if (this.cgo && q === 'C') return unknown(text);
    const pkg = this.imports.get(q);
    if (pkg !== undefined) {
      this.facts.qualRefs.push({ pkg, name, span: this.span(n) });
      return { k: 'qual', pkg, name };
    }
    this.skip(this.uncertainImports ? 'uncertain-import-name' : 'unknown-qualifier', pkgNode);
    return unknown(text);
  }

  private interfaceType(n: GoNode): TypeExpr {
    this.enter(n);
    const methods: string[] = [];
    const embeds: TypeExpr[] = [];
    for (const c of namedParts(n)) {
      if (c.type === 'method_elem') {
        this.enter(c);
        const name = childByField(c, 'name');
        if (name) {
          this.enter(name);
          methods.push(this.text(name));
        }
        const params = childByField(c, 'parameters');
        const result = childByField(c, 'result');
        if (params) this.paramList(params, null);
        if (result) {
          if (result.type === 'parameter_list') this.paramList(result, null);
          else this.typeExpr(result);
        }
      } else {
        embeds.push(this.typeExpr(c));
      }
    }
    return { k: 'iface', methods, embeds };
  }

  private structType(n: GoNode): TypeExpr {
    this.enter(n);
    const fields: FieldFact[] = [];
    for (const list of namedParts(n)) {
      if (list.type !== 'field_declaration_list') {
        this.visit(list);
        continue;
      }
      this.enter(list);
      for (const fd of namedParts(list)) {
        if (fd.type !== 'field_declaration') {
          this.visit(fd);
          continue;
        }
        this.enter(fd);
        const typeNode = childByField(fd, 'type');
        const tagNode = childByField(fd, 'tag');
        const t = typeNode ? this.typeExpr(typeNode) : unknown('');
        let tag: string | undefined;
        if (tagNode) {
          this.visit(tagNode);
          tag = unquoteGoString(this.text(tagNode));
        }
        const names = fd.children.filter((c) => c.field === 'name' && !c.missing);
        if (names.length > 0) {
          for (const id of names) {
            this.enter(id);
            const f: FieldFact = { name: this.text(id), type: t, embedded: false, span: this.span(id) };
            if (tag !== undefined) f.tag = tag;
            fields.push(f);
          }
        } else if (typeNode) {
          // Embedded: `T`, `*T`, `pkg.T`, `G[int]`; the field is named after the base type.
          const ptr = hasToken(fd, '*');
          let base = t;
          while (base.k === 'ptr') base = base.elem;
          let nameNode: GoNode = typeNode;
          if (typeNode.type === 'generic_type') nameNode = childByField(typeNode, 'type') ?? typeNode;
          if (nameNode.type === 'qualified_type') nameNode = childByField(nameNode, 'name') ?? nameNode;
          const name = base.k === 'name' || base.k === 'qual' ? base.name : base.k === 'tparam' ? base.name : this.text(nameNode);
          const f: FieldFact = { name, type: ptr ? { k: 'ptr', elem: t } : t, embedded: true, span: this.span(nameNode) };
          if (tag !== undefined) f.tag = tag;
          fields.push(f);
        }
      }
    }
    return { k: 'struct', fields };
  }

  // ---------------------------------------------------------------- composite literals

  private compositeLit(n: GoNode): void {
    this.enter(n);
    const typeNode = childByField(n, 'type');
    const body = childByField(n, 'body');
    let t = typeNode ? this.typeExpr(typeNode) : undefined;
    if (t?.k === 'array' && t.len === '...' && body) {
      // [...]T{a, b, c}: the length is the element count when no element has a key.
      const elems = namedParts(body);
      if (elems.every((e) => e.type === 'literal_element')) t = { ...t, len: elems.length };
    }
    n.ty = t;
    if (body) this.literalValue(body, t);
  }

  /** Underlying type as far as this file tells: local type names are followed to their definition. */
  private litMode(t: TypeExpr | undefined): LitMode {
    let u = t;
    for (let depth = 0; u !== undefined && depth < 8; depth++) {
      switch (u.k) {
        case 'ptr': // only from elided `&T` elements: []*T{{...}}
          u = u.elem;
          continue;
        case 'name':
        case 'qual':
          return { m: 'named', type: u };
        case 'struct':
          return { m: 'struct' };
        case 'map':
          return { m: 'map', key: u.key, value: u.value };
        case 'slice':
        case 'array':
          return { m: 'index', elem: u.elem };
        case 'unknown': {
          const b = this.scope.get(u.text);
          if (b?.kind !== 'type' || b.def === undefined) return { m: 'unknown' };
          u = b.def;
          continue;
        }
        default:
          return { m: 'unknown' };
      }
    }
    return { m: 'unknown' };
  }

  private literalValue(body: GoNode, t: TypeExpr | undefined): void {
    this.enter(body);
    const mode = this.litMode(t);
    let unknownKeys = false;
    for (const el of namedParts(body)) {
      if (el.type === 'literal_element') {
        this.element(el, mode);
        continue;
      }
      if (el.type !== 'keyed_element') {
        this.visit(el);
        continue;
      }
      this.enter(el);
      const key = childByField(el, 'key');
      const value = childByField(el, 'value');
      if (key) {
        this.enter(key);
        for (const k of namedParts(key)) {
          if (k.type === 'literal_value') {
            this.literalValue(k, mode.m === 'map' ? mode.key : undefined);
          } else if (isIdent(k) && mode.m !== 'map' && mode.m !== 'index') {
            this.enter(k);
            const name = this.text(k);
            if (mode.m === 'named') {
              const fact: FileFacts['litKeys'][number] = { type: mode.type, key: name, span: this.span(k) };
              if (this.scope.has(name)) fact.local = true;
              this.facts.litKeys.push(fact);
            } else if (mode.m === 'unknown') {
              unknownKeys = true;
            }
          } else {
            this.visit(k);
          }
        }
      }
      if (value) this.element(value, mode);
    }
    if (unknownKeys) this.skip('unknown-literal-type', body);
  }

  private element(el: GoNode, mode: LitMode): void {
    this.enter(el);
    for (const v of namedParts(el)) {
      if (v.type === 'literal_value') {
        this.literalValue(v, mode.m === 'map' ? mode.value : mode.m === 'index' ? mode.elem : undefined);
      } else {
        this.visit(v);
      }
    }
  }
}

