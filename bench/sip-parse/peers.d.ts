// The two peer parsers ship no types; only what the benchmark calls is declared.
declare module 'jssip/lib/Parser.js' {
  const parser: { parseMessage(data: string, ua: object): unknown };
  export default parser;
}
declare module 'sip' {
  const sip: { parse(data: string): unknown };
  export default sip;
}
