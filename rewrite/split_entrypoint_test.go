package rewrite

import (
	"slices"
	"strings"
	"testing"
)

// TestCommandIdentity is the decision table of split-entrypoint: for each
// command, the words that go into ENTRYPOINT (the rest stays in CMD), or
// none when the command is not split, and the kind of decision.
func TestCommandIdentity(t *testing.T) {
	tests := []struct {
		argv []string
		// entrypoint is the identity prefix; nil means no suggestion.
		entrypoint []string
		kind       string
	}{
		// Python: options, then the script or -m module or -c code.
		{w("python manage.py runserver 0.0.0.0:8000"), w("python manage.py"), "python"},
		{w("python -m http.server 8000"), w("python -m http.server"), "python"},
		{w("python -mhttp.server 8000"), w("python -mhttp.server"), "python"},
		{w("python3 -u app.py --port 80"), w("python3 -u app.py"), "python"},
		{w("python3.12 -OO -B server.py -v"), w("python3.12 -OO -B server.py"), "python"},
		{w("python3 -uB app.py x"), w("python3 -uB app.py"), "python"},
		{w("python3 -X dev -W ignore app.py x"), w("python3 -X dev -W ignore app.py"), "python"},
		{w("python3 -Xdev -Wignore app.py x"), w("python3 -Xdev -Wignore app.py"), "python"},
		{w("/usr/local/bin/python3.13t app.py x"), w("/usr/local/bin/python3.13t app.py"), "python"},
		{w("pypy3 app.py x"), w("pypy3 app.py"), "python"},
		{[]string{"python", "-c", "import app; app.main()", "--port", "80"}, []string{"python", "-c", "import app; app.main()"}, "python"},
		{w("python -- app.py -x"), w("python -- app.py"), "python"},
		{w(`C:\Python312\python.exe app.py --port 80`), w(`C:\Python312\python.exe app.py`), "python"},
		{w("python app.py"), nil, skipNothingLeft},
		{w("python3"), nil, skipNothingLeft},
		{w("python -i"), nil, skipNothingLeft},
		{w("python -Z app.py x"), nil, kindUnrecognized},
		{w("python --frobnicate app.py x"), nil, kindUnrecognized},
		// python -m of a known tool is decided as that tool.
		{w("python -m uvicorn main:app --host 0.0.0.0"), w("python -m uvicorn main:app"), "uvicorn"},
		{w("python -m gunicorn -b :80 app:app"), nil, skipNothingLeft},
		{w("python3 -m flask run --host=0.0.0.0"), w("python3 -m flask"), "flask"},
		{w("python -m celery -A proj worker"), w("python -m celery -A proj"), "celery"},
		{w("python -m pip install x"), w("python -m pip"), "python"},

		// WSGI/ASGI servers: options, then the app.
		{w("gunicorn app:app -b 0.0.0.0:8000 --workers 4"), w("gunicorn app:app"), "gunicorn"},
		{w("gunicorn -b :8000 app:app"), nil, skipNothingLeft},
		{w("gunicorn -k uvicorn.workers.UvicornWorker main:app --bind 0.0.0.0:80"), w("gunicorn -k uvicorn.workers.UvicornWorker main:app"), "gunicorn"},
		{w("gunicorn --preload -w 4 --bind=0.0.0.0:80 wsgi:application --timeout 30"), w("gunicorn --preload -w 4 --bind=0.0.0.0:80 wsgi:application"), "gunicorn"},
		{w("gunicorn -b0.0.0.0:80 -D app:app --reload"), w("gunicorn -b0.0.0.0:80 -D app:app"), "gunicorn"},
		{w("gunicorn -c gunicorn.conf.py"), nil, skipNothingLeft},
		{w("uvicorn main:app --host 0.0.0.0 --port 80"), w("uvicorn main:app"), "uvicorn"},
		{w("uvicorn --factory app:create_app --port 80"), w("uvicorn --factory app:create_app"), "uvicorn"},
		{w("uvicorn --port 80 main:app"), nil, skipNothingLeft},
		{w("uvicorn --unknown-flag main:app --port 80"), nil, kindUnrecognized},

		// Tools whose first argument is a subcommand: the program, with the
		// options before the subcommand that select the app.
		{w("flask run --host=0.0.0.0"), w("flask"), "flask"},
		{w("flask --app hello run --port 5000"), w("flask --app hello"), "flask"},
		{w("flask --app=hello --debug run"), w("flask --app=hello --debug"), "flask"},
		{w("celery -A proj worker --loglevel=info"), w("celery -A proj"), "celery"},
		{w("celery worker -A proj"), w("celery"), "celery"},
		{w("npm start"), w("npm"), "package manager"},
		{w("npm run dev -- --host 0.0.0.0"), w("npm"), "package manager"},
		{w("npm --prefix /app start"), w("npm --prefix /app"), "package manager"},
		{w("yarn start"), w("yarn"), "package manager"},
		{w("yarn --cwd /app run serve"), w("yarn --cwd /app"), "package manager"},
		{w("pnpm --filter web dev"), w("pnpm --filter web"), "package manager"},
		{w("pnpm -C /app start"), w("pnpm -C /app"), "package manager"},
		{w("myapp serve --port 8080"), w("myapp"), "program"},
		{w("/usr/local/bin/myapp --config /etc/myapp.yaml"), w("/usr/local/bin/myapp"), "program"},
		{w("rails server -b 0.0.0.0"), w("rails"), "program"},
		{w("bin/rails server -b 0.0.0.0"), w("bin/rails"), "program"},
		{w("manage.py runserver 0.0.0.0:8000"), w("manage.py"), "program"},
		{[]string{"nginx", "-g", "daemon off;"}, w("nginx"), "program"},
		{w("catalina.sh run"), w("catalina.sh"), "program"},
		{w("docker-entrypoint.sh postgres"), w("docker-entrypoint.sh"), "program"},
		{w("mvn spring-boot:run"), w("mvn"), "program"},
		{w("go run main.go"), w("go"), "program"},
		{w("myapp"), nil, skipNothingLeft},

		// Launchers: the launcher, then the identity of what it runs.
		{w("bundle exec rails server -b 0.0.0.0 -p 3000"), w("bundle exec rails"), "ruby"},
		{w("bundle exec ruby app.rb -p 80"), w("bundle exec ruby app.rb"), "ruby"},
		{w("bundle exec --keep-file-descriptors puma -C config/puma.rb"), w("bundle exec --keep-file-descriptors puma"), "ruby"},
		{w("bundle exec sh -c x"), nil, kindShell},
		{w("bundle install"), w("bundle"), "ruby"},
		{w("poetry run python bot.py --verbose"), w("poetry run python bot.py"), "python"},
		{w("poetry run uvicorn main:app --port 80"), w("poetry run uvicorn main:app"), "uvicorn"},
		{w("pipenv run gunicorn app:app -w 2"), w("pipenv run gunicorn app:app"), "gunicorn"},
		{w("uv run --frozen uvicorn main:app --port 80"), w("uv run --frozen uvicorn main:app"), "uvicorn"},
		{w("uv run --with rich server.py --port 80"), w("uv run --with rich server.py"), "python"},
		{w("uv run -m http.server 80"), w("uv run -m http.server"), "python"},
		{w("uv run server.py"), nil, skipNothingLeft},
		{w("npx prisma studio --port 5555"), w("npx prisma"), "node"},
		{w("npx -y serve -s build"), w("npx -y serve"), "node"},
		{w("npx -c x"), nil, kindShell},
		{w("busybox httpd -f -p 80"), w("busybox httpd"), "program"},
		{w("busybox sh"), nil, kindShell},

		// Node, Deno, Bun: options, then the script.
		{w("node server.js --port 3000"), w("node server.js"), "node"},
		{w("node /opt/microservices/ratings.js 9080"), w("node /opt/microservices/ratings.js"), "node"},
		{w("node --enable-source-maps -r dotenv/config dist/main.js --port 3000"), w("node --enable-source-maps -r dotenv/config dist/main.js"), "node"},
		{w("node --max-old-space-size=4096 --import=tsx src/index.ts serve"), w("node --max-old-space-size=4096 --import=tsx src/index.ts"), "node"},
		{w("node . --port 80"), w("node ."), "node"},
		{[]string{"node", "-e", "require('./app').start()", "80"}, []string{"node", "-e", "require('./app').start()"}, "node"},
		{w("node --require dd-trace/init http.js"), nil, skipNothingLeft},
		{w("node"), nil, skipNothingLeft},
		{w("node -x app.js 1"), nil, kindUnrecognized},
		{w("deno run --allow-net -c deno.json main.ts --port 8000"), w("deno run --allow-net -c deno.json main.ts"), "deno"},
		{w("deno run -A --watch=src/ main.ts --port 8000"), w("deno run -A --watch=src/ main.ts"), "deno"},
		{w("deno serve --port 8000 main.ts"), nil, skipNothingLeft},
		{w("deno main.ts --port 8000"), w("deno main.ts"), "deno"},
		{w("deno task start"), w("deno"), "deno"},
		{w("bun src/index.ts --port 3000"), w("bun src/index.ts"), "bun"},
		{w("bun run --watch src/index.ts --port 3000"), w("bun run --watch src/index.ts"), "bun"},
		{w("bun run start --port 3000"), w("bun run start"), "bun"},
		{w("bun test --watch"), w("bun"), "bun"},

		// Java: options, then -jar file, -m module or the main class.
		{w("java -Xmx512m -jar app.jar --spring.profiles.active=prod"), w("java -Xmx512m -jar app.jar"), "java"},
		{w("java -Xmx1024M -jar /usr/lib/unifi/lib/ace.jar start"), w("java -Xmx1024M -jar /usr/lib/unifi/lib/ace.jar"), "java"},
		{w("java -cp app.jar:lib/* com.example.Main serve --port 8080"), w("java -cp app.jar:lib/* com.example.Main"), "java"},
		{w("java -classpath /app -Dx=y Main a"), w("java -classpath /app -Dx=y Main"), "java"},
		{w("java --class-path=/app/lib/* Main a"), w("java --class-path=/app/lib/* Main"), "java"},
		{w("java --module-path mods -m com.example/com.example.Main --port 80"), w("java --module-path mods -m com.example/com.example.Main"), "java"},
		{w("java --add-opens java.base/java.lang=ALL-UNNAMED -jar app.jar x"), w("java --add-opens java.base/java.lang=ALL-UNNAMED -jar app.jar"), "java"},
		{w("java @/app/jvm.options -XX:+UseG1GC -jar app.jar x"), w("java @/app/jvm.options -XX:+UseG1GC -jar app.jar"), "java"},
		{w("java --source 21 Main.java x"), w("java --source 21 Main.java"), "java"},
		{w("java -jar app.jar"), nil, skipNothingLeft},
		{w("/usr/bin/java -server -Djava.awt.headless=true -Xmx2g -jar /opt/n.jar server /etc/n.yaml"), w("/usr/bin/java -server -Djava.awt.headless=true -Xmx2g -jar /opt/n.jar"), "java"},

		// Ruby, Perl, PHP: options, then the script.
		{w("ruby details.rb 9080"), w("ruby details.rb"), "ruby"},
		{w("ruby -Ilib -r json --disable gems app.rb x"), w("ruby -Ilib -r json --disable gems app.rb"), "ruby"},
		{w("ruby -W0 -x app.rb x"), w("ruby -W0 -x app.rb"), "ruby"},
		{w("ruby -e puts(ARGV) a b"), w("ruby -e puts(ARGV)"), "ruby"},
		{w("perl -w -Ilib app.pl daemon -l http://*:8080"), w("perl -w -Ilib app.pl"), "perl"},
		{w("perl -MMojolicious::Lite -e app->start daemon"), w("perl -MMojolicious::Lite -e app->start"), "perl"},
		{w("perl -I lib script/app prefork"), w("perl -I lib script/app"), "perl"},
		{w("perl5.36 app.pl x"), w("perl5.36 app.pl"), "perl"},
		{w("php artisan serve --host=0.0.0.0 --port=8000"), w("php artisan"), "php"},
		{w("php -d memory_limit=-1 bin/console messenger:consume async"), w("php -d memory_limit=-1 bin/console"), "php"},
		{w("php -dmemory_limit=-1 -n bin/console x"), w("php -dmemory_limit=-1 -n bin/console"), "php"},
		{w("php82 -f public/index.php -- x"), w("php82 -f public/index.php"), "php"},
		{w("php -S 0.0.0.0:8000 -t public"), nil, skipNothingLeft},
		{w("php -a"), nil, skipNothingLeft},

		// .NET: the app's dll; otherwise the SDK tool and its subcommand.
		{w("dotnet MyApp.dll --urls http://0.0.0.0:8080"), w("dotnet MyApp.dll"), "dotnet"},
		{w("dotnet exec --runtimeconfig app.runtimeconfig.json app.dll x"), w("dotnet exec --runtimeconfig app.runtimeconfig.json app.dll"), "dotnet"},
		{w("dotnet run --project src/Api"), w("dotnet"), "dotnet"},
		{w("dotnet aspnetapp.dll"), nil, skipNothingLeft},

		// Never split.
		{nil, nil, kindEmpty},
		{[]string{""}, nil, kindEmpty},
		{w("sh -c exec_myapp"), nil, kindShell},
		{w("/bin/bash -xe /bin/run-builder.sh"), nil, kindShell},
		{w("bash /run.sh --port 80"), nil, kindShell},
		{w("pwsh -Command Start-Service"), nil, kindShell},
		{w("cmd /S /C app.exe"), nil, kindShell},
		{w("powershell.exe -File run.ps1"), nil, kindShell},
		{w("tini -- myapp serve"), nil, kindWrapper},
		{w("/sbin/tini -g -- myapp serve"), nil, kindWrapper},
		{w("dumb-init myapp serve"), nil, kindWrapper},
		{w("/usr/bin/dumb-init /bin/bash /run.sh"), nil, kindWrapper},
		{w("gosu app myapp serve"), nil, kindWrapper},
		{w("su-exec app:app myapp serve"), nil, kindWrapper},
		{w("env FOO=bar myapp serve"), nil, kindWrapper},
		{w("nice -n 10 myapp serve"), nil, kindWrapper},
		{w("timeout 60 myapp serve"), nil, kindWrapper},
		{w("/init myapp serve"), nil, kindWrapper},
		{w("supervisord -n -c /etc/supervisord.conf"), nil, kindProcessManager},
		{w("pm2-runtime ecosystem.config.js --env production"), nil, kindProcessManager},
		{w("sleep infinity"), nil, kindPlaceholder},
		{w("tail -f /dev/null"), nil, kindPlaceholder},
		{w("echo hello"), nil, kindPlaceholder},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.argv, " "), func(t *testing.T) {
			id := commandIdentity(tc.argv)
			var got []string
			kind := id.Kind
			switch {
			case id.N >= len(tc.argv) && id.N > 0:
				kind = skipNothingLeft
			case id.N > 0:
				got = tc.argv[:id.N]
			}
			if !slices.Equal(got, tc.entrypoint) || kind != tc.kind {
				t.Errorf("ENTRYPOINT %q (%s), want %q (%s)", got, kind, tc.entrypoint, tc.kind)
			}
		})
	}
}

// w splits a command line on spaces.
func w(s string) []string { return strings.Fields(s) }
