import type * as z from 'zod';

/**
 * A zod schema built the first time it is used rather than when its module loads. A function's
 * bundle holds every schema its modules declare, a few hundred objects of zod's built at each cold
 * start, while an invocation parses with a handful of them; built on first use, the rest cost nothing.
 *
 * The schema stands in for the one `build` returns in every way zod and its callers see (its
 * properties and methods, `instanceof`, its type), so a lazy schema goes wherever a schema goes,
 * inside another schema too. Metadata registered inside `build` (`.meta()`, `.describe()`) belongs
 * to the built schema: give a schema that carries its own metadata no lazy wrapper.
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
