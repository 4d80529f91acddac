// Loaded as a file, not inline, so the Content Security Policy needs no nonce.
import { initAll } from "./govuk-frontend.min.js";
initAll();
