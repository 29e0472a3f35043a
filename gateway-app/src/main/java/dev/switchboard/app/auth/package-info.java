/**
 * API keys and what each may do: {@link dev.switchboard.app.auth.ApiKey} carries a {@link
 * dev.switchboard.app.auth.KeyScope} (which models, which {@link dev.switchboard.app.auth.RouteClass
 * route classes}); {@link dev.switchboard.app.auth.ApiKeys} finds the key a request presents in
 * constant time.
 */
package dev.switchboard.app.auth;
