package dev.weft.sample.web;

import dev.weft.Weft;
import dev.weft.exception.WeftUnavailableException;
import dev.weft.session.Session;
import dev.weft.session.SessionOptions;
import dev.weft.session.Sessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is asking: sessions in Redis (Weft's {@link Sessions}), shared by every instance, carried
 * by the cookie {@value #COOKIE}.
 *
 * <pre>
 * POST /login    {"user": "ann"}   200, Set-Cookie: session=&lt;id&gt;; HttpOnly; SameSite=Strict; Path=/
 * POST /logout   with the cookie   200, the session destroyed and the cookie cleared
 * </pre>
 *
 * <h2>Design</h2>
 *
 * The sample has no accounts, so logging in takes a user name and no password: what it shows is
 * the session, not the credential check before it. A session lives {@value #IDLE_MINUTES}
 * minutes after its last use (each order reads it, which slides the expiry) and at most {@value
 * #MAX_HOURS} hours in all; a user holds at most {@value #MAX_PER_USER} at once (a new login
 * beyond that ends the one that would expire soonest). The cookie is {@code HttpOnly} (no script
 * reads it) and {@code SameSite=Strict} (no other site's page sends it, so no cross-site request
 * forgery); it has no {@code Max-Age}, since Redis decides when a session ends, and no {@code
 * Secure}, since the sample serves plain HTTP on 127.0.0.1: behind TLS, add it. Only the id's
 * SHA-256 is in Redis.
 *
 * <p>A request without the cookie, or whose session has expired or was ended, is answered 401
 * with a message saying to log in, and {@code WWW-Authenticate: Cookie ...}, the challenge form
 * proposed for cookie-based logins (draft-broyer-http-cookie-auth), since RFC 9110 requires a
 * challenge on every 401 and none is standard for cookies. When Redis cannot be reached, a session
 * can be neither read nor made: 503, and no one is logged out by the outage.
 *
 * <p>Counted in {@code sample.sessions{event}}: {@code created}, {@code ended} (logout), {@code
 * refused} (401).
 */
public final class Login {

  /** The session cookie's name. */
  public static final String COOKIE = "session";

  static final int IDLE_MINUTES = 30;
  static final int MAX_HOURS = 12;
  static final int MAX_PER_USER = 10;

  static final String CHALLENGE =
      "Cookie realm=\"weft-sample\", form-action=\"/login\", cookie-name=\"" + COOKIE + "\"";

  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String LOGIN_EXAMPLE = "{\"user\": \"ann\"}";
  private static final String ATTRIBUTES = "; HttpOnly; SameSite=Strict; Path=/";

  private final Sessions sessions;
  private final Counter created;
  private final Counter ended;
  private final Counter refused;

  /**
   * @param weft the runtime whose Redis holds the sessions, not {@code null}
   * @param registry where sessions are counted, as {@code sample.sessions{event}}
   */
  public Login(Weft weft, MeterRegistry registry) {
    this.sessions =
        weft.sessions("weft-sample",
            SessionOptions.defaults().idleTimeout(Duration.ofMinutes(IDLE_MINUTES))
                .maxLifetime(Duration.ofHours(MAX_HOURS))
                .maxSessionsPerUser(MAX_PER_USER));
    this.created = event(registry, "created");
    this.ended = event(registry, "ended");
    this.refused = event(registry, "refused");
  }

  List<Route> routes() {
    return List.of(Route.api("POST", "/login", this::login), Route.api("POST", "/logout", this::logout));
  }

  /**
   * The user of the request's session, which the read extends.
   *
   * @param request a request
   * @return the user id, never {@code null}
   * @throws ApiException 401 if there is no session cookie or no such session, 503 if Redis
   *     cannot be reached
   */
  String user(Request request) {
    String id =
        request.cookie(COOKIE)
            .orElseThrow(() -> unauthorized(
                "log in first: POST /login with " + LOGIN_EXAMPLE + ", then send the '" + COOKIE
                    + "' cookie it sets"));
    Optional<Session> session;
    try {
      session = sessions.get(id);
    } catch (WeftUnavailableException e) {
      throw unavailable("your session cannot be checked");
    }
    return session
        .map(Session::userId)
        .orElseThrow(() -> unauthorized(
            "your session has expired or was ended; log in again with POST /login"));
  }

  private Response login(Request request) {
    LoginRequest login = Json.read(request.body(), LoginRequest.class, LOGIN_EXAMPLE);
    if (login.user() == null) {
      throw new ApiException(400, "field 'user' is missing, as in " + LOGIN_EXAMPLE);
    }
    if (!USER.matcher(login.user()).matches()) {
      throw new ApiException(400, "user must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    Session session;
    try {
      session = sessions.create(login.user());
    } catch (WeftUnavailableException e) {
      throw unavailable("no session can be created");
    }
    created.increment();
    return Response.json(200, new LoggedIn(session.userId(), session.expiresAt().toString()))
        .header("Set-Cookie", COOKIE + "=" + session.id() + ATTRIBUTES);
  }

  private Response logout(Request request) {
    Optional<String> id = request.cookie(COOKIE);
    boolean destroyed;
    try {
      destroyed = id.isPresent() && sessions.destroy(id.get());
    } catch (WeftUnavailableException e) {
      throw unavailable("the session cannot be ended");
    }
    if (!destroyed) {
      throw unauthorized("there is no session to end: not logged in, or it had expired");
    }
    ended.increment();
    return Response.json(200, new LoggedOut("the session has ended"))
        .header("Set-Cookie", COOKIE + "=; Max-Age=0" + ATTRIBUTES);
  }

  private ApiException unauthorized(String message) {
    refused.increment();
    return new ApiException(401, message);
  }

  private static ApiException unavailable(String what) {
    return new ApiException(
        503, what + ": the session store (Redis) cannot be reached; nothing was done, try again"
            + " later. Reads of products still work.");
  }

  private static Counter event(MeterRegistry registry, String event) {
    return Counter.builder("sample.sessions")
        .description("Sessions created, ended by logout, and refused (401)")
        .tag("event", event)
        .register(registry);
  }

  /**
   * The body of {@code POST /login}.
   *
   * @param user who logs in
   */
  record LoginRequest(String user) {}

  /**
   * The answer to a login; the session's id is in the cookie only.
   *
   * @param user who is logged in
   * @param expiresAt when the session ends unless used, ISO-8601 UTC
   */
  record LoggedIn(String user, String expiresAt) {}

  /** @param message what happened */
  record LoggedOut(String message) {}
}
