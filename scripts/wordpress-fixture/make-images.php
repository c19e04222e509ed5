<?php
// Draws the three pictures of the fixture site (800x500 JPEGs) with PHP's GD into $argv[1].
// Simple flat drawings so that the files, and the sizes WordPress makes from them, stay small.
if ($argc < 2) { fwrite(STDERR, "usage: php make-images.php DIR\n"); exit(2); }
$dir = rtrim($argv[1], '/');
@mkdir($dir, 0755, true);
const W = 800;
const H = 500;

function canvas() { $im = imagecreatetruecolor(W, H); imageantialias($im, true); return $im; }
function rgb($im, $r, $g, $b) { return imagecolorallocate($im, $r, $g, $b); }
function vgradient($im, $y0, $y1, $from, $to) {
    for ($y = $y0; $y < $y1; $y++) {
        $t = ($y - $y0) / max(1, $y1 - $y0 - 1);
        $c = array();
        for ($i = 0; $i < 3; $i++) { $c[] = (int) round($from[$i] + ($to[$i] - $from[$i]) * $t); }
        imageline($im, 0, $y, W - 1, $y, rgb($im, $c[0], $c[1], $c[2]));
    }
}

// 1. Town hall by the river.
$im = canvas();
vgradient($im, 0, 330, array(120, 170, 225), array(210, 230, 245));
vgradient($im, 400, H, array(70, 110, 150), array(40, 70, 110));
imagefilledrectangle($im, 0, 330, W, 400, rgb($im, 150, 150, 140));
$stone = rgb($im, 215, 200, 170);
$shade = rgb($im, 170, 155, 125);
imagefilledrectangle($im, 200, 170, 600, 340, $stone);
imagefilledpolygon($im, array(190, 170, 400, 90, 610, 170), $shade);
for ($x = 225; $x <= 565; $x += 57) { imagefilledrectangle($im, $x, 185, $x + 18, 320, rgb($im, 240, 232, 210)); }
imagefilledrectangle($im, 180, 320, 620, 345, $shade);
imagefilledrectangle($im, 370, 40, 430, 110, $stone);
imagefilledellipse($im, 400, 70, 40, 40, rgb($im, 250, 250, 245));
imageline($im, 400, 70, 400, 56, rgb($im, 30, 30, 30));
imageline($im, 400, 70, 410, 74, rgb($im, 30, 30, 30));
for ($i = 0; $i < 9; $i++) { imageline($im, 40 + $i * 90, 430 + ($i % 3) * 15, 100 + $i * 90, 430 + ($i % 3) * 15, rgb($im, 150, 185, 215)); }
imagejpeg($im, "$dir/town-hall.jpg", 70);

// 2. A football pitch under floodlights.
$im = canvas();
vgradient($im, 0, 140, array(20, 30, 70), array(60, 80, 130));
imagefilledrectangle($im, 0, 110, W, 170, rgb($im, 90, 20, 30));
for ($x = 10; $x < W; $x += 22) { imagefilledellipse($im, $x, 130 + ($x % 3) * 9, 10, 12, rgb($im, 230, 200, 60)); }
for ($i = 0; $i < 8; $i++) {
    $g = ($i % 2) ? rgb($im, 60, 140, 60) : rgb($im, 70, 155, 70);
    imagefilledrectangle($im, $i * 100, 170, $i * 100 + 99, H, $g);
}
$white = rgb($im, 245, 245, 245);
imagesetthickness($im, 3);
imagerectangle($im, 40, 200, 760, 480, $white);
imageline($im, 400, 200, 400, 480, $white);
imageellipse($im, 400, 340, 140, 100, $white);
imagerectangle($im, 40, 280, 130, 400, $white);
imagerectangle($im, 670, 280, 760, 400, $white);
imagesetthickness($im, 1);
imagefilledellipse($im, 520, 360, 16, 16, $white);
foreach (array(60, 740) as $x) { imagefilledrectangle($im, $x - 3, 20, $x + 3, 110, rgb($im, 120, 120, 120)); imagefilledrectangle($im, $x - 20, 10, $x + 20, 30, rgb($im, 255, 250, 200)); }
imagejpeg($im, "$dir/riverside-fc.jpg", 70);

// 3. A café terrace with mountains behind.
$im = canvas();
vgradient($im, 0, 260, array(150, 190, 230), array(230, 235, 240));
imagefilledpolygon($im, array(0, 230, 160, 90, 300, 200, 450, 70, 640, 210, 800, 120, 800, 260, 0, 260), rgb($im, 120, 130, 150));
imagefilledpolygon($im, array(420, 95, 450, 70, 480, 95), rgb($im, 250, 250, 250));
imagefilledrectangle($im, 0, 180, W, 380, rgb($im, 200, 170, 130));
for ($x = 40; $x < W; $x += 150) { imagefilledrectangle($im, $x, 230, $x + 90, 370, rgb($im, 90, 70, 55)); imagefilledrectangle($im, $x + 8, 238, $x + 82, 330, rgb($im, 250, 220, 150)); }
for ($x = 0; $x < W; $x += 40) { imagefilledpolygon($im, array($x, 190, $x + 40, 190, $x + 40, 225, $x, 225), ($x / 40) % 2 ? rgb($im, 180, 40, 40) : rgb($im, 245, 240, 230)); }
imagefilledrectangle($im, 0, 380, W, H, rgb($im, 160, 160, 155));
for ($x = 90; $x < W; $x += 170) {
    imagefilledellipse($im, $x, 420, 90, 26, rgb($im, 240, 240, 235));
    imagefilledrectangle($im, $x - 3, 420, $x + 3, 480, rgb($im, 60, 60, 60));
    imagefilledellipse($im, $x - 55, 450, 28, 28, rgb($im, 140, 60, 40));
    imagefilledellipse($im, $x + 55, 450, 28, 28, rgb($im, 140, 60, 40));
    imagefilledellipse($im, $x + 12, 412, 14, 10, rgb($im, 250, 250, 250));
}
imagejpeg($im, "$dir/cafe-terrace.jpg", 70);

foreach (array('town-hall', 'riverside-fc', 'cafe-terrace') as $n) {
    fwrite(STDERR, "$dir/$n.jpg " . filesize("$dir/$n.jpg") . " bytes\n");
}
