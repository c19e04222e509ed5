<?php
// Step 1 of the fixture site: WordPress's own installer into an empty database, then the site's
// settings. WordPress's sample content (Hello world!, Sample Page, the draft privacy page and the
// sample comment) is removed and the ID counters reset, so the fixture's own posts start at 1.
$GLOBALS['fixture_installing'] = true;
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) { fwrite(STDERR, "already installed: drop the database first\n"); exit(1); }

$r = wp_install('Riverside Gazette', 'admin', 'webmaster@example.org', true, '', 'fixture-admin-password');
fwrite(STDERR, "installed WordPress {$GLOBALS['wp_version']}, admin user {$r['user_id']}\n");

global $wpdb;
foreach ($wpdb->get_col("SELECT ID FROM $wpdb->posts") as $id) { wp_delete_post((int) $id, true); }
foreach ($wpdb->get_col("SELECT comment_ID FROM $wpdb->comments") as $id) { wp_delete_comment((int) $id, true); }
$wpdb->query("ALTER TABLE $wpdb->posts AUTO_INCREMENT = 1");
$wpdb->query("ALTER TABLE $wpdb->comments AUTO_INCREMENT = 1");
$wpdb->query("ALTER TABLE $wpdb->postmeta AUTO_INCREMENT = 1");

update_option('blogdescription', 'News from the Wend valley');
update_option('timezone_string', 'Europe/London');
update_option('gmt_offset', '');
update_option('date_format', 'j F Y');
update_option('time_format', 'H:i');
update_option('start_of_week', '1');
update_option('thread_comments', '1');
update_option('thread_comments_depth', '5');
update_option('wp_page_for_privacy_policy', '0');
update_user_meta(1, 'first_name', 'Site');
update_user_meta(1, 'last_name', 'Admin');
wp_update_user(array('ID' => 1, 'display_name' => 'Gazette Web Team', 'nickname' => 'webteam'));
