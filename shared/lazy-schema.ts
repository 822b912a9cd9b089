import type * as z from 'zod';

/**
 * A zod schema built the first time it is used rather than when its module loads. A function's
 * bundle holds every schema its modules declare, a few hundred objects of zod's built at each cold
 * start, while an invocation parses with a handful of them; built on first use, the rest cost nothing.
 *
 * The schema stands in for the one `build` returns in every way zod and its callers see (its
 * properties and methods, `instanceof`, its type), so a lazy schema goes wherever a schema goes,
 * inside another schema too. Two things see through it, both about the OpenAPI document: metadata
 * registered inside `build` (`.meta()`, `.describe()`) belongs to the built schema, and
 * `z.toJSONSchema` cannot describe a lazy pipe (`.transform()`, `z.preprocess`): give the API's own
 * schemas no lazy wrapper (the openapi-fixture test fails when one slips through).
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => {
    built ??= build();
    return built;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(schema(), key),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // The stand-in has no properties of its own: the proxy may only report configurable ones.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}
