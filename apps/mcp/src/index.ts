export { createMcpApp, type McpAppDeps } from "./app.js";
export { createMcpServer, serverInfo } from "./server.js";
export { daprGateway, RefusedError, type Gateway } from "./gateway.js";
export { interpretPhrase, PhraseError, acceptedForms, type PhraseResult } from "./phrases/schedule.js";
