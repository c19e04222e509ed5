vcl 4.1;
# Varnish (with the xkey module of varnish-modules) in front of two newsdesk nodes: nodes
# taken in turn, cookies dropped from public reads (their pages are the same for everyone),
# each page's Surrogate-Key indexed by xkey, purges taken from the nodes only.
# Start each node with  --purge-url http://VARNISH:6081/ --purge-format varnish
# The suite runs this very file in front of two nodes (crates/newsdesk/tests/http/varnish.rs).
import directors;
import xkey;

backend a { .host = "127.0.0.1"; .port = "8081"; }
backend b { .host = "127.0.0.1"; .port = "8082"; }
acl purgers { "127.0.0.1"; }

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(a);
    nodes.add_backend(b);
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) { return (synth(403, "Not allowed")); }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    set req.backend_hint = nodes.backend();
    if ((req.method == "GET" || req.method == "HEAD") && req.url !~ "^/(admin|api|stamp|search)" && req.url !~ "/comments/") {
        unset req.http.Cookie;
    }
}

sub vcl_backend_response {
    set beresp.http.xkey = beresp.http.Surrogate-Key;
}

sub vcl_deliver {
    if (obj.hits > 0) { set resp.http.X-Cache = "HIT"; } else { set resp.http.X-Cache = "MISS"; }
    unset resp.http.xkey;
}
