package org.fhiranchor.server.smart;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.fhiranchor.server.security.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The people who log in (table {@code anchor_smart_user}): a role, an optional FHIR identity
 * ({@code Patient/123} or {@code Practitioner/7}), a password hash from the delegating encoder
 * ({@code {bcrypt}...}), and the count of failed logins that locks the account for a while.
 */
public final class UserAccounts implements UserDetailsService {

    /** One account, without its password hash. */
    public record UserAccount(
            String username, Role role, String fhirUser, boolean enabled, int failedLogins, Instant lockedUntil) {

        /** The Patient id when the account is a patient's own, else {@code null}. */
        public String patientId() {
            return fhirUser != null && fhirUser.startsWith("Patient/") ? fhirUser.substring("Patient/".length()) : null;
        }
    }

    static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final Pattern FHIR_USER =
            Pattern.compile("(Patient|Practitioner|PractitionerRole|RelatedPerson|Person)/[A-Za-z0-9\\-.]{1,64}");

    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwords;
    private final Clock clock;

    public UserAccounts(DataSource dataSource, PasswordEncoder passwords, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.passwords = passwords;
        this.clock = clock;
    }

    public UserAccount create(String username, String password, Role role, String fhirUser) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("A username is 1 to 100 letters, digits and . _ @ -");
        }
        checkPassword(password);
        if (fhirUser != null && !FHIR_USER.matcher(fhirUser).matches()) {
            throw new IllegalArgumentException(
                    "fhirUser must be Patient/<id>, Practitioner/<id>, PractitionerRole/<id>,"
                            + " RelatedPerson/<id> or Person/<id>");
        }
        if (role == Role.PATIENT && (fhirUser == null || !fhirUser.startsWith("Patient/"))) {
            throw new IllegalArgumentException("A patient's account needs its Patient (fhirUser Patient/<id>)");
        }
        try {
            jdbc.update(
                    "INSERT INTO anchor_smart_user (username, password_hash, role, fhir_user, enabled, failed_logins,"
                            + " created_at) VALUES (?, ?, ?, ?, TRUE, 0, ?)",
                    username,
                    passwords.encode(password),
                    role.code(),
                    fhirUser,
                    Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("User " + username + " exists already");
        }
        return find(username).orElseThrow();
    }

    public Optional<UserAccount> find(String username) {
        return DataAccessUtils.optionalResult(
                jdbc.query("SELECT * FROM anchor_smart_user WHERE username = ?", UserAccounts::account, username));
    }

    public List<UserAccount> list() {
        return jdbc.query("SELECT * FROM anchor_smart_user ORDER BY username", UserAccounts::account);
    }

    /** Sets a new password and unlocks the account. */
    public void resetPassword(String username, String password) {
        checkPassword(password);
        requireUpdated(
                jdbc.update(
                        "UPDATE anchor_smart_user SET password_hash = ?, failed_logins = 0, locked_until = NULL"
                                + " WHERE username = ?",
                        passwords.encode(password),
                        username),
                username);
    }

    public void setEnabled(String username, boolean enabled) {
        requireUpdated(
                jdbc.update("UPDATE anchor_smart_user SET enabled = ? WHERE username = ?", enabled, username),
                username);
    }

    /** Counts a failed login; returns whether the account is now locked. */
    boolean recordFailure(String username, int maxFailures, Duration lockout) {
        Instant now = clock.instant();
        jdbc.update("UPDATE anchor_smart_user SET failed_logins = failed_logins + 1 WHERE username = ?", username);
        return jdbc.update(
                        "UPDATE anchor_smart_user SET locked_until = ?, failed_logins = 0 WHERE username = ?"
                                + " AND failed_logins >= ?",
                        Timestamp.from(now.plus(lockout)),
                        username,
                        maxFailures)
                > 0;
    }

    void recordSuccess(String username) {
        jdbc.update(
                "UPDATE anchor_smart_user SET failed_logins = 0, locked_until = NULL WHERE username = ?"
                        + " AND (failed_logins > 0 OR locked_until IS NOT NULL)",
                username);
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        List<UserDetails> found = jdbc.query(
                "SELECT * FROM anchor_smart_user WHERE username = ?",
                (rs, n) -> {
                    Timestamp lockedUntil = rs.getTimestamp("locked_until");
                    return User.withUsername(rs.getString("username"))
                            .password(rs.getString("password_hash"))
                            .authorities("ROLE_" + rs.getString("role"))
                            .disabled(!rs.getBoolean("enabled"))
                            .accountLocked(lockedUntil != null
                                    && lockedUntil.toInstant().isAfter(clock.instant()))
                            .build();
                },
                username);
        if (found.isEmpty()) {
            throw new UsernameNotFoundException("No such user");
        }
        return found.get(0);
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("A password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private static void requireUpdated(int rows, String username) {
        if (rows == 0) {
            throw new IllegalArgumentException("No user " + username);
        }
    }

    private static UserAccount account(ResultSet rs, int row) throws SQLException {
        Timestamp lockedUntil = rs.getTimestamp("locked_until");
        return new UserAccount(
                rs.getString("username"),
                Role.fromCode(rs.getString("role")),
                rs.getString("fhir_user"),
                rs.getBoolean("enabled"),
                rs.getInt("failed_logins"),
                lockedUntil == null ? null : lockedUntil.toInstant());
    }
}
