/** Lua scripts are imported as their source text. */
declare module '*.lua?raw' {
  const source: string
  export default source
}
