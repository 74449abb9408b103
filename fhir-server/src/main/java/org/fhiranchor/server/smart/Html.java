package org.fhiranchor.server.smart;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/** The frame of the server's few pages (login, consent, patient picker): plain HTML, no scripts. */
final class Html {

    private static final String STYLE = """
            body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef2f6;color:#1d2733}
            main{max-width:420px;margin:8vh auto;background:#fff;border-radius:14px;box-shadow:0 4px 24px rgba(20,40,70,.12);padding:32px 36px}
            h1{font-size:1.45rem;margin:0 0 4px}.brand{color:#1f6feb;font-weight:600;font-size:.9rem;letter-spacing:.04em;margin-bottom:18px}
            p{line-height:1.45}label{display:block;font-weight:600;margin:16px 0 6px}
            input[type=text],input[type=password],input[type=search]{width:100%;box-sizing:border-box;padding:11px 12px;font-size:1rem;border:1px solid #b8c2cc;border-radius:8px}
            button{margin-top:22px;width:100%;padding:12px;font-size:1rem;font-weight:600;border:0;border-radius:8px;background:#1f6feb;color:#fff;cursor:pointer}
            button.secondary{background:#fff;color:#1f6feb;border:1px solid #1f6feb;margin-top:10px}
            .error{background:#fdecec;color:#8a1c1c;border-radius:8px;padding:10px 12px;margin:12px 0}
            ul.scopes{list-style:none;padding:0;margin:14px 0}ul.scopes li{padding:10px 0;border-bottom:1px solid #e5e9ee}
            ul.scopes label{display:flex;gap:10px;margin:0;font-weight:400}ul.scopes code{color:#5b6875;font-size:.8rem}
            .patients a{display:block;padding:12px;border:1px solid #d5dce3;border-radius:8px;margin:8px 0;text-decoration:none;color:inherit}
            .muted{color:#5b6875;font-size:.9rem}
            """;

    private Html() {}

    static ResponseEntity<String> page(String title, String body) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + escape(title)
                + "</title><style>" + STYLE + "</style></head><body><main><div class=\"brand\">FHIR ANCHOR</div>"
                + body + "</main></body></html>";
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store")
                .header(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'")
                .body(html);
    }

    static String escape(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text);
    }
}
