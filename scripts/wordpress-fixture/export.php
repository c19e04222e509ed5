<?php
// Writes WordPress's own WXR export (Tools > Export > All content) of the fixture site to $argv[1].
if ($argc < 2) { fwrite(STDERR, "usage: php export.php OUT.xml\n"); exit(2); }
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

// Run as the site's administrator, as Tools > Export is (it matters for private posts' links).
wp_set_current_user(1);

ob_start();
export_wp(array('content' => 'all'));
$xml = ob_get_clean();
if (file_put_contents($argv[1], $xml) === false) { exit(1); }
fwrite(STDERR, "wrote {$argv[1]} (" . strlen($xml) . " bytes)\n");
