import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts the official DynamoDB Local bound to 127.0.0.1 only: the jar itself has no host flag
 * and would listen on every interface. Takes the jar's own arguments (-port, -inMemory, -dbPath …);
 * -port 0 picks a free port. Prints "DynamoDB Local listening on PORT" once it accepts requests.
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    // The jar refuses -port 0, so parse with a placeholder port and ask Jetty for a free one.
    boolean anyPort = false;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-port") && args[i + 1].equals("0")) {
        args[i + 1] = "8000";
        anyPort = true;
      }
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        serverConnector.setHost("127.0.0.1");
        if (anyPort) serverConnector.setPort(0);
      }
    }
    proxy.start();
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        System.out.println("DynamoDB Local listening on " + serverConnector.getLocalPort());
      }
    }
  }
}
