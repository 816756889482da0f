package dev.sfstream.emulator.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** {@code /id/<orgId>/<userId>}: the identity URL of a token response, answered for the token's own user. */
final class IdentityServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient EmulatedOrg org;
    private final transient OAuthServlet oauth;

    IdentityServlet(EmulatedOrg org, OAuthServlet oauth) {
        this.org = org;
        this.oauth = oauth;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<TokenStore.Grant> grant = org.tokens().validate(RestServlet.bearer(request));
        String expected = "/" + org.orgId() + "/" + grant.map(TokenStore.Grant::userId).orElse("");
        if (grant.isEmpty() || !expected.equals(request.getPathInfo())) {
            Json.errors(response, 403, List.of(ApiError.of("INVALID_SESSION_ID", "Session expired or invalid")));
            return;
        }
        Json.write(response, 200, oauth.identity(grant.get(), request));
    }
}
