<?php
// Loads Debian's WordPress (/usr/share/wordpress) from the command line, with no web server and
// no /etc/wordpress config file: this file plays wp-config.php. Settings come from the
// environment that wordpress-fixture.sh sets (database, content folder).
if (PHP_SAPI !== 'cli') { exit(1); }

$_SERVER['HTTP_HOST']   = 'news.example.org';
$_SERVER['SERVER_NAME'] = 'news.example.org';
$_SERVER['SERVER_PORT'] = '80';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

function fixture_env($name, $default) {
    $v = getenv($name);
    return ($v === false || $v === '') ? $default : $v;
}

define('ABSPATH', '/usr/share/wordpress/');
define('DB_NAME', fixture_env('WP_FIXTURE_DB', 'newsdesk_wp_fixture'));
define('DB_USER', fixture_env('WP_FIXTURE_DB_USER', 'root'));
define('DB_PASSWORD', fixture_env('WP_FIXTURE_DB_PASSWORD', ''));
define('DB_HOST', fixture_env('WP_FIXTURE_DB_HOST', '127.0.0.1'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_CONTENT_DIR', fixture_env('WP_FIXTURE_CONTENT_DIR', '/tmp/newsdesk-wp-fixture/wp-content'));
define('WP_HOME', 'http://news.example.org');
define('WP_SITEURL', 'http://news.example.org');
define('WP_AUTO_UPDATE_CORE', false);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', false);
// Fixed keys: nothing secret lives in this throwaway site.
foreach (array('AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT',
               'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT') as $k) {
    define($k, 'newsdesk-fixture-' . strtolower($k));
}
$table_prefix = 'wp_';

// There is no mail on this machine; WordPress would try to tell the admin about new users etc.
function wp_mail() { return true; }

if (!empty($GLOBALS['fixture_installing'])) {
    define('WP_INSTALLING', true);
}
require_once ABSPATH . 'wp-settings.php';

// No network: every HTTP request WordPress tries (pingbacks, enclosures, the pretty-permalink
// check in wp_install) fails at once instead of waiting on DNS.
add_filter('pre_http_request', function () {
    return new WP_Error('http_request_failed', 'fixture site: no network');
}, 1);
