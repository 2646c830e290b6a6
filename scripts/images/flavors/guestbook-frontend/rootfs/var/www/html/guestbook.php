<?php
// Local stand-in (tutorial-e2e) for the guestbook frontend's guestbook.php
// (gb-frontend:v5): the same JSON interface, written with the phpredis
// extension instead of Predis.
//   ?cmd=set&key=K&value=V  writes K=V on the Redis leader  -> {"message": "Updated"}
//   ?cmd=get&key=K          reads K from a Redis follower   -> {"data": "<value>"}
//                           (a missing key gives {"data": ""}, as upstream)
//   no cmd                  phpinfo(), as upstream
// Hosts are redis-leader and redis-follower, port 6379. With GET_HOSTS_FROM=env
// they are $REDIS_LEADER_SERVICE_HOST and $REDIS_FOLLOWER_SERVICE_HOST, and the
// port is $REDIS_*_SERVICE_PORT when set (Kubernetes sets it to the Service's
// port; upstream always uses 6379).
// Not upstream: when Redis cannot be reached or fails, HTTP 500 with
// {"error": "..."} naming the host and port; an unknown cmd or a missing key or
// value gives HTTP 400 with {"error": "..."}.
ini_set('display_errors', '0');

function json_str($s)
{
  return json_encode((string) $s, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
}

function reply($status, $body)
{
  http_response_code($status);
  header('Content-Type: application/json');
  print($body);
  exit;
}

function fail($status, $message)
{
  error_log("guestbook.php: $message");
  reply($status, '{"error": ' . json_str($message) . '}');
}

// A string query parameter, or HTTP 400.
function param($name)
{
  if (!isset($_GET[$name]) || !is_string($_GET[$name])) {
    fail(400, "missing query parameter '$name'");
  }
  return $_GET[$name];
}

// Connects to the leader or a follower; HTTP 500 naming it when that fails.
function redis_for($role)
{
  $host = "redis-$role";
  $port = 6379;
  if (getenv('GET_HOSTS_FROM') == 'env') {
    $var = 'REDIS_' . strtoupper($role) . '_SERVICE_HOST';
    $host = getenv($var);
    if ($host === false || $host === '') {
      fail(500, "GET_HOSTS_FROM=env, but $var is not set");
    }
    $p = getenv('REDIS_' . strtoupper($role) . '_SERVICE_PORT');
    if ($p !== false && ctype_digit($p)) {
      $port = (int) $p;
    }
  }
  $where = "Redis $role $host:$port";
  $redis = new Redis();
  try {
    if (!$redis->connect($host, $port, 2.0)) {
      fail(500, "cannot connect to $where");
    }
    $redis->setOption(Redis::OPT_READ_TIMEOUT, 2.0);
  } catch (Throwable $e) {
    fail(500, "cannot connect to $where: " . $e->getMessage());
  }
  return [$redis, $where];
}

if (!isset($_GET['cmd'])) {
  phpinfo();
  exit;
}

$cmd = $_GET['cmd'];
if ($cmd === 'set') {
  $key = param('key');
  $value = param('value');
  list($redis, $where) = redis_for('leader');
  try {
    if ($redis->set($key, $value) !== true) {
      fail(500, "$where did not store the key: " . ($redis->getLastError() ?? 'no error given'));
    }
  } catch (Throwable $e) {
    fail(500, "$where: " . $e->getMessage());
  }
  reply(200, '{"message": "Updated"}');
} elseif ($cmd === 'get') {
  $key = param('key');
  list($redis, $where) = redis_for('follower');
  try {
    $value = $redis->get($key);
  } catch (Throwable $e) {
    fail(500, "$where: " . $e->getMessage());
  }
  // phpredis returns false for a missing key; upstream printed "".
  reply(200, '{"data": ' . json_str($value === false ? '' : $value) . '}');
} else {
  fail(400, 'unknown cmd ' . json_str($cmd) . " (want 'set' or 'get')");
}
