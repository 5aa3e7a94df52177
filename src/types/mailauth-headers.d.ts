// mailauth's header parser (the RFC 8601 grammar of Authentication-Results, comments and quoted
// strings included), which the package does not type: only what the hub reads of it.
declare module 'mailauth/lib/parse-dkim-headers.js' {
  export type ResultInfo = {
    value?: string;
    comment?: string;
    header?: Record<string, string | undefined>;
    smtp?: Record<string, string | undefined>;
  };
  export type ParsedResults = {
    /** "authserv-id [version]" */
    value?: string;
    dkim?: ResultInfo[];
    spf?: ResultInfo;
    dmarc?: ResultInfo;
    [method: string]: ResultInfo | ResultInfo[] | string | undefined;
  };
  const parseHeader: (line: string) => { parsed: ParsedResults };
  export default parseHeader;
}
