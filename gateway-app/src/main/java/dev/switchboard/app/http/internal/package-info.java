/** Servlet-level plumbing of the HTTP server; not an API, may change at any time. */
package dev.switchboard.app.http.internal;
