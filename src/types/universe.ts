/** The universe scope: predeclared types, constants, nil and builtins (go/types' universe.go). */
import type { Basic, BasicKind, FuncObj, Interface, Named, Obj, Signature, Type, TypeName } from './types.js';

function basic(kind: BasicKind, name: string = kind): Basic {
  return { k: 'basic', kind, name };
}

export const Typ = {
  bool: basic('bool'), int: basic('int'), int8: basic('int8'), int16: basic('int16'), int32: basic('int32'),
  int64: basic('int64'), uint: basic('uint'), uint8: basic('uint8'), uint16: basic('uint16'), uint32: basic('uint32'),
  uint64: basic('uint64'), uintptr: basic('uintptr'), float32: basic('float32'), float64: basic('float64'),
  complex64: basic('complex64'), complex128: basic('complex128'), string: basic('string'),
  unsafePointer: basic('unsafe.Pointer'),
  byte: basic('uint8', 'byte'), rune: basic('int32', 'rune'),
  untypedBool: basic('untyped bool'), untypedInt: basic('untyped int'), untypedRune: basic('untyped rune'),
  untypedFloat: basic('untyped float'), untypedComplex: basic('untyped complex'), untypedString: basic('untyped string'),
  untypedNil: basic('untyped nil'),
} as const;

const errorObj: TypeName = { k: 'typename', name: 'error', pkg: '', type: undefined };
const errorSig: Signature = {
  k: 'signature',
  params: { k: 'tuple', vars: [] },
  results: { k: 'tuple', vars: [{ k: 'var', name: '', pkg: '', type: Typ.string }] },
  variadic: false,
};
const errorMethod: FuncObj = { k: 'func', name: 'Error', pkg: '', type: () => errorSig };
const errorIface: Interface = { k: 'interface', methods: [errorMethod], embeddeds: [] };
export const errorType: Named = { k: 'named', obj: errorObj, underlying: () => errorIface, methods: () => [] };
errorObj.type = errorType;

export const anyType: Interface = { k: 'interface', methods: [], embeddeds: [], any: true };
export const emptyInterface: Interface = { k: 'interface', methods: [], embeddeds: [] };

const comparableObj: TypeName = { k: 'typename', name: 'comparable', pkg: '', type: undefined };
const comparableIface: Interface = { k: 'interface', methods: [], embeddeds: [] };
export const comparableType: Named = { k: 'named', obj: comparableObj, underlying: () => comparableIface, methods: () => [] };
comparableObj.type = comparableType;

export const BUILTINS = ['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min',
  'new', 'panic', 'print', 'println', 'real', 'recover'] as const;

export const universe = new Map<string, Obj>();
{
  const typeNames: [string, Type][] = [
    ['bool', Typ.bool], ['int', Typ.int], ['int8', Typ.int8], ['int16', Typ.int16], ['int32', Typ.int32],
    ['int64', Typ.int64], ['uint', Typ.uint], ['uint8', Typ.uint8], ['uint16', Typ.uint16], ['uint32', Typ.uint32],
    ['uint64', Typ.uint64], ['uintptr', Typ.uintptr], ['float32', Typ.float32], ['float64', Typ.float64],
    ['complex64', Typ.complex64], ['complex128', Typ.complex128], ['string', Typ.string], ['byte', Typ.byte],
    ['rune', Typ.rune], ['any', anyType],
  ];
  for (const [name, type] of typeNames) universe.set(name, { k: 'typename', name, pkg: '', type, alias: true });
  universe.set('error', errorObj);
  universe.set('comparable', comparableObj);
  universe.set('true', { k: 'const', name: 'true', pkg: '', resolve: () => ({ type: Typ.untypedBool, value: { k: 'bool', v: true } }) });
  universe.set('false', { k: 'const', name: 'false', pkg: '', resolve: () => ({ type: Typ.untypedBool, value: { k: 'bool', v: false } }) });
  universe.set('nil', { k: 'nil' });
  for (const b of BUILTINS) universe.set(b, { k: 'builtin', name: b });
}

/** The default type of an untyped constant kind (spec: "Constants"). */
export function defaultType(t: Type): Type {
  if (t.k !== 'basic') return t;
  switch (t.kind) {
    case 'untyped bool':
      return Typ.bool;
    case 'untyped int':
      return Typ.int;
    case 'untyped rune':
      return Typ.rune;
    case 'untyped float':
      return Typ.float64;
    case 'untyped complex':
      return Typ.complex128;
    case 'untyped string':
      return Typ.string;
    default:
      return t;
  }
}

/** The word size of a GOARCH in bytes (int, uint, uintptr). */
export function wordSize(goarch: string): 4 | 8 {
  return /^(386|arm|mips|mipsle|wasm32)$/.test(goarch) ? 4 : 8;
}
