package org.fhiranchor.server.smart;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.fhiranchor.server.security.Role;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin}: users and clients of the authorization server, for a bearer token with the
 * {@code admin} scope (the API filter chain checks it). Bad input: 400 with {@code {"error": ...}}.
 */
@RestController
@RequestMapping("/admin")
@ConditionalOnExpression(AuthorizationServerConfiguration.ENABLED)
final class AdminApi {

    /** A new user; {@code fhirUser} links the account to its Patient or Practitioner. */
    record NewUser(String username, String password, String role, String fhirUser) {}

    record NewPassword(String password) {}

    /** A new client; {@code scope} space-separated, {@code jwks} an inline JWKS object. */
    record NewClient(
            String clientId,
            String name,
            List<String> redirectUris,
            String scope,
            Map<String, Object> jwks,
            String jwksUrl,
            String role) {}

    private final UserAccounts users;
    private final SmartClients clients;

    AdminApi(UserAccounts users, SmartClients clients) {
        this.users = users;
        this.clients = clients;
    }

    @GetMapping("/users")
    List<UserAccounts.UserAccount> users() {
        return users.list();
    }

    @PostMapping("/users")
    ResponseEntity<UserAccounts.UserAccount> createUser(@RequestBody NewUser user) {
        if (user.role() == null) {
            throw new IllegalArgumentException("role is required");
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(users.create(user.username(), user.password(), Role.fromCode(user.role()), user.fhirUser()));
    }

    @PostMapping("/users/{username}/password")
    ResponseEntity<Void> resetPassword(@PathVariable String username, @RequestBody NewPassword password) {
        users.resetPassword(username, password.password());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/users/{username}/disable")
    ResponseEntity<Void> disable(@PathVariable String username) {
        users.setEnabled(username, false);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/users/{username}/enable")
    ResponseEntity<Void> enable(@PathVariable String username) {
        users.setEnabled(username, true);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/clients")
    List<SmartClients.ClientSummary> clients() {
        return clients.list();
    }

    @PostMapping("/clients")
    ResponseEntity<SmartClients.ClientSummary> register(@RequestBody NewClient client) throws Exception {
        String jwks = client.jwks() == null
                ? null
                : new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(client.jwks());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(clients.register(new SmartClients.Registration(
                        client.clientId(),
                        client.name(),
                        client.redirectUris(),
                        client.scope() == null
                                ? null
                                : new LinkedHashSet<>(
                                        Arrays.asList(client.scope().trim().split("\\s+"))),
                        jwks,
                        client.jwksUrl(),
                        client.role() == null ? null : Role.fromCode(client.role()))));
    }

    @DeleteMapping("/clients/{clientId}")
    ResponseEntity<Void> revoke(@PathVariable String clientId) {
        return clients.revoke(clientId)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
}
